import { describe, expect, it } from "vitest";
import { KEY_WAIT_MS, KeyWait } from "./key-wait.ts";

describe("waiting for a message's keys", () => {
  it("says 'opening' from the first look until the wait is over, and when to look again", () => {
    const wait = new KeyWait();
    expect(wait.nextEnd(0)).toBeNull();
    expect(wait.opening("$a", 1_000)).toBe(true);
    expect(wait.opening("$b", 5_000)).toBe(true);
    expect(wait.nextEnd(5_000)).toBe(KEY_WAIT_MS - 4_000);
    expect(wait.opening("$a", 1_000 + KEY_WAIT_MS)).toBe(false);
    expect(wait.opening("$b", 1_000 + KEY_WAIT_MS)).toBe(true);
    expect(wait.nextEnd(1_000 + KEY_WAIT_MS)).toBe(4_000);
    expect(wait.nextEnd(5_000 + KEY_WAIT_MS)).toBeNull();
  });
});
