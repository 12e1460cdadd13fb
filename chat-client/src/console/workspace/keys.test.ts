import { describe, expect, it } from "vitest";
import { keyAction, type KeyFacts, stepFrom } from "./keys.ts";

const press = (o: Partial<KeyFacts>): KeyFacts => ({ key: "", code: "", altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, isComposing: false, targetTag: "TEXTAREA", ...o });

describe("workspace keys", () => {
  it("Alt+ArrowUp/Down switch, Alt+C writes, by the key's place so a Korean layout works", () => {
    expect(keyAction(press({ key: "ArrowUp" }))).toBe("previous");
    expect(keyAction(press({ key: "ArrowDown" }))).toBe("next");
    expect(keyAction(press({ key: "ㅊ", code: "KeyC" }))).toBe("compose");
  });

  it("does nothing while composing, with other modifiers, without Alt, or on a list box's arrows", () => {
    expect(keyAction(press({ key: "ArrowDown", isComposing: true }))).toBeNull();
    expect(keyAction(press({ key: "ArrowDown", ctrlKey: true }))).toBeNull();
    expect(keyAction(press({ key: "ArrowDown", shiftKey: true }))).toBeNull();
    expect(keyAction(press({ key: "ArrowDown", altKey: false }))).toBeNull();
    expect(keyAction(press({ key: "ArrowDown", targetTag: "SELECT" }))).toBeNull();
    expect(keyAction(press({ key: "c", code: "KeyC", targetTag: "SELECT" }))).toBe("compose");
  });

  it("steps through the list, wrapping round, from the first or last when none is open", () => {
    expect(stepFrom(["a", "b", "c"], "a", 1)).toBe("b");
    expect(stepFrom(["a", "b", "c"], "a", -1)).toBe("c");
    expect(stepFrom(["a", "b", "c"], null, 1)).toBe("a");
    expect(stepFrom(["a", "b", "c"], "gone", -1)).toBe("c");
    expect(stepFrom([], null, 1)).toBeNull();
  });
});
