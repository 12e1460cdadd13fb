import { describe, expect, it } from "vitest";
import { isTriageResult } from "@onsafe/schema";
import { triageResult } from "./result.ts";
import { Conversation } from "./test-helpers.ts";

/** Runs a Korean triage through the given answers and returns its result. */
function resultOf(...answers: string[]) {
  const c = new Conversation();
  for (const a of ["1", ...answers]) c.send(a);
  expect(c.state.step).toBe("done");
  return triageResult(c.state);
}

const NO_RISK = ["아니요", "아니요", "아니요"];

describe("triage result and priority", () => {
  const crisis = resultOf("성희롱", "아니요", "아니요", "네", "2");
  const deadline = resultOf("협박", "24시간 안이에요", "아직", "아니요", ...NO_RISK);
  const minorSpread = resultOf("불법촬영", "이미 퍼졌어요", "네, 만 19세 미만이에요", ...NO_RISK);
  const spread = resultOf("유포", "이미 퍼졌어요", "아니요", ...NO_RISK);
  const moderate = resultOf("성희롱", "아니요", "아니요", "아니요", "3개월 전");
  const plain = resultOf("성희롱", "아니요", ...NO_RISK);

  it("puts a crisis first, then a 24-hour deadline, then minors and spread images, then moderate risk, then the rest", () => {
    const order = [crisis, deadline, minorSpread, spread, moderate, plain].map((r) => r.priority);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(new Set(order).size).toBe(order.length);
    expect(plain.priority).toBe(0);
  });

  it("lets no combination of lower flags outrank a higher one", () => {
    const everythingButCrisis = resultOf("협박", "24시간 안이에요", "이미 퍼졌어요", "네, 만 19세 미만이에요", "네", "네", "1", "아니요");
    expect(everythingButCrisis).toMatchObject({ crisis: false, risk: "moderate", minor: true, images: "spread", deadline: "within_24h" });
    expect(everythingButCrisis.priority).toBeLessThan(crisis.priority);
    expect(minorSpread.priority).toBeLessThan(deadline.priority);
  });

  it("records ids only, and is a valid triage_summary result", () => {
    for (const r of [crisis, deadline, minorSpread, spread, moderate, plain]) expect(isTriageResult(r)).toBe(true);
    expect(crisis).toMatchObject({ crisis: true, risk: "high", category: "harassment", images: null, deadline: null, minor: false });
    expect(plain.risk).toBe("none");
  });

  it("calls the risk unknown when a screen question was declined", () => {
    expect(resultOf("성희롱", "아니요", "말하고 싶지 않아요", "아니요", "아니요").risk).toBe("unknown");
    expect(resultOf("성희롱", "말하고 싶지 않아요", "네", "아니요", "아니요").risk).toBe("low");
  });
});
