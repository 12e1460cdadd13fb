import { describe, expect, it } from "vitest";
import { isReferCommand } from "./refer-command.ts";

describe("the /refer command", () => {
  it("is /refer alone, in any case, with spaces around", () => {
    expect(isReferCommand("/refer")).toBe(true);
    expect(isReferCommand("  /Refer \n")).toBe(true);
  });

  it("leaves every other text to be sent as a message", () => {
    expect(isReferCommand("/referral")).toBe(false);
    expect(isReferCommand("/refer legal_aid")).toBe(false);
    expect(isReferCommand("I can /refer you")).toBe(false);
    expect(isReferCommand("refer")).toBe(false);
  });
});
