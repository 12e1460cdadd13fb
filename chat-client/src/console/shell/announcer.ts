/**
 * New offers and messages announce themselves: the count in the tab's title,
 * a short tone, and a browser notification that never carries message
 * content ("New message", not what was written).
 * The tone is on unless the companion turned it off, and sounds while they are
 * on shift (issue 19: an offer shown only as "(1)" in the title was missed).
 */
const SOUND_KEY = "onsafe.console.sound";
/** Null where there is no shift (the partner view): the setting alone decides. */
let onShift: boolean | null = null;

export function setTitleCount(count: number, title: string): void {
  document.title = count > 0 ? `(${count}) ${title}` : title;
}

/** The companion's setting: on unless they turned it off. */
export function soundOn(): boolean {
  return localStorage.getItem(SOUND_KEY) !== "off";
}

/** The workspace says whether the companion is on shift: the tone sounds only then. */
export function setOnShift(on: boolean): void {
  onShift = on;
}

export function setSound(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? "on" : "off");
}

export function notificationsAllowed(): boolean {
  return "Notification" in window && Notification.permission === "granted";
}

export async function askForNotifications(): Promise<boolean> {
  if (!("Notification" in window)) return false;
  return (await Notification.requestPermission()) === "granted";
}

/** `text` is a fixed phrase ("New offer"), never anything a victim wrote. */
export function announce(text: string, tag: string): void {
  if (soundOn() && onShift !== false) tone();
  if (notificationsAllowed() && document.visibilityState !== "visible") new Notification("onsafe", { body: text, tag, silent: true });
}

/**
 * One audio context for the page, made (or resumed) on the companion's first press or key:
 * browsers let a page sound only after such a gesture, and signing in or a reload may come
 * without one before the first offer.
 */
let audio: AudioContext | null = null;
/** Whether the page's tones are held back until a press or a key (a reload brings none): the crisis banner then asks for one. */
export function soundHeld(): boolean {
  return audio !== null && audio.state === "suspended";
}

export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    // No audio on this computer.
  }
}
for (const type of ["pointerdown", "keydown"] as const) window.addEventListener(type, unlockAudio, { capture: true, passive: true });

/** A short tone on the page's one audio context: an offer's by default; the crisis alarm's is higher and louder. */
export function tone(o: { frequency: number; seconds: number; volume: number; at?: number } = { frequency: 660, seconds: 0.4, volume: 0.15 }): void {
  try {
    audio ??= new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const start = audio.currentTime + (o.at ?? 0);
    oscillator.frequency.value = o.frequency;
    gain.gain.setValueAtTime(o.volume, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + o.seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + o.seconds);
  } catch {
    // No audio on this computer: the title and the notification still say it.
  }
}
