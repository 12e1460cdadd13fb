/** Time as the queue sees it: injected, so tests can move it on by hand. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
