import { describe, expect, it } from "vitest";
import { parseVisitCommand } from "./visit-command.ts";

describe("the /visit command", () => {
  it("asks for a visit, with or without a kind", () => {
    expect(parseVisitCommand("/visit")).toEqual({});
    expect(parseVisitCommand("  /visit  ")).toEqual({});
    expect(parseVisitCommand("/visit police_interview")).toEqual({ kind: "police_interview" });
    expect(parseVisitCommand("/Visit Court_Hearing")).toEqual({ kind: "court_hearing" });
  });

  it("asks for help with an unknown kind or more words", () => {
    expect(parseVisitCommand("/visit tomorrow")).toEqual({ help: true });
    expect(parseVisitCommand("/visit police_interview please")).toEqual({ help: true });
  });

  it("leaves every other text to be sent as a message", () => {
    expect(parseVisitCommand("visit")).toBeNull();
    expect(parseVisitCommand("/visitor")).toBeNull();
    expect(parseVisitCommand("Shall we /visit the centre?")).toBeNull();
    expect(parseVisitCommand("/close")).toBeNull();
  });
});
