/**
 * New offers and messages announce themselves: the count in the tab's title,
 * an optional short tone, and a browser notification that never carries
 * message content ("New message", not what was written).
 */
const SOUND_KEY = "onsafe.console.sound";

export function setTitleCount(count: number, title: string): void {
  document.title = count > 0 ? `(${count}) ${title}` : title;
}

export function soundOn(): boolean {
  return localStorage.getItem(SOUND_KEY) === "on";
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
  if (soundOn()) tone();
  if (notificationsAllowed() && document.visibilityState !== "visible") new Notification("onsafe", { body: text, tag, silent: true });
}

function tone(): void {
  try {
    const audio = new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 660;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.4);
    oscillator.onended = () => void audio.close();
  } catch {
    // No audio on this computer: the title and the notification still say it.
  }
}
