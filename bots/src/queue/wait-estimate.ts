/**
 * The expected wait told to a victim (docs/QUEUE.md "Expected wait"): the
 * recent median time from queue to companion, once per round of the staff on
 * shift ahead of them, rounded up to five minutes. Unknown (null) when nobody
 * is on shift or there are too few recent cases to say.
 */
export const WAIT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
export const WAIT_SAMPLE_LIMIT = 50;
export const WAIT_MIN_SAMPLES = 5;
const STEP_MINUTES = 5;

export interface WaitModel {
  /** Median queue-to-assignment time of recent cases, or null with too few of them. */
  medianWaitMs: number | null;
  onShift: number;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function waitModel(recentWaits: number[], onShift: number): WaitModel {
  return { medianWaitMs: recentWaits.length >= WAIT_MIN_SAMPLES ? median(recentWaits) : null, onShift };
}

/** Minutes a victim at `position` (1 = next) can expect to wait, or null. */
export function expectedWaitMinutes(position: number, model: WaitModel): number | null {
  if (model.onShift === 0 || model.medianWaitMs === null) return null;
  const rounds = Math.ceil(position / model.onShift);
  const minutes = (model.medianWaitMs * rounds) / 60_000;
  return Math.max(STEP_MINUTES, Math.ceil(minutes / STEP_MINUTES) * STEP_MINUTES);
}
