import { describe, expect, it } from "vitest";
import { phoneParts } from "./phone-links.ts";

const tels = (text: string) => phoneParts(text).flatMap((part) => ("tel" in part ? [part.tel] : []));

describe("phone numbers in a message", () => {
  it("finds the crisis and support lines, in English and Korean sentences", () => {
    expect(tels("Call 1366 any time, or 02-735-8994.")).toEqual(["tel:1366", "tel:027358994"]);
    expect(tels("지금 위험하다면 112에 전화하세요. 109도 24시간이에요.")).toEqual(["tel:112", "tel:109"]);
    expect(tels("다누리콜센터 1577-1366, 방송통신심의위원회 1377")).toEqual(["tel:15771366", "tel:1377"]);
    expect(tels("(010-1234-5678)")).toEqual(["tel:01012345678"]);
  });

  it("leaves dates, times, years, amounts and case numbers as text", () => {
    expect(tels("We spoke on 2026-12-07 at 10:30, case 2024-1234.")).toEqual([]);
    expect(tels("In 1999 it cost 1,500 won; 15.5% of 120kg")).toEqual([]);
    expect(tels("2024고단1234, 사건번호 2024-112, 12/112, v1.112")).toEqual([]);
    expect(tels("call 1120 or 11234")).toEqual([]);
  });

  it("keeps the text whole around the links", () => {
    const text = "Call 112 now.";
    expect(phoneParts(text)).toEqual([{ text: "Call " }, { text: "112", tel: "tel:112" }, { text: " now." }]);
    expect(phoneParts(text).map((part) => part.text).join("")).toBe(text);
  });
});
