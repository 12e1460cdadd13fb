/** A wait the server asked for (`retry_after_ms`), as whole minutes to tell a person: rounded up, at least 1. */
export function waitMinutes(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 60_000));
}
