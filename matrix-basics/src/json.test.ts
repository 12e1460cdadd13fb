/** The body reader's nesting limit: counted on the text before parsing, with strings skipped. */
import { describe, expect, it } from "vitest";
import { MatrixError } from "./errors.ts";
import { MAX_JSON_NESTING, nestsDeeperThan, parseJsonObject, queryJsonObject } from "./json.ts";

/** `{"a":{"a":…{}…}}`: `depth` objects inside each other. */
const objects = (depth: number) => '{"a":'.repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
/** An object holding arrays inside each other, `depth` levels in all. */
const arrays = (depth: number) => '{"a":' + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";

function errcodeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MatrixError);
    return (error as MatrixError).errcode;
  }
}

describe("parseJsonObject's nesting limit", () => {
  it("reads a body nested exactly to the limit and refuses one level more with M_BAD_JSON", () => {
    for (const make of [objects, arrays]) {
      expect(() => parseJsonObject(make(MAX_JSON_NESTING))).not.toThrow();
      expect(errcodeOf(() => parseJsonObject(make(MAX_JSON_NESTING + 1)))).toBe("M_BAD_JSON");
    }
    expect(nestsDeeperThan(objects(3), 3)).toBe(false);
    expect(nestsDeeperThan(objects(4), 3)).toBe(true);
  });

  it("refuses 5,000 levels before parsing, as M_BAD_JSON (not a stack overflow later)", () => {
    expect(errcodeOf(() => parseJsonObject(objects(5_000)))).toBe("M_BAD_JSON");
    expect(errcodeOf(() => parseJsonObject(arrays(5_000)))).toBe("M_BAD_JSON");
    // Unclosed, so not JSON either: the depth is what is reported.
    expect(errcodeOf(() => parseJsonObject("[".repeat(5_000)))).toBe("M_BAD_JSON");
  });

  it("does not count brackets inside strings, nor a quote escaped inside a string", () => {
    const brackets = JSON.stringify({ body: "{[".repeat(5_000), more: "]}".repeat(100) });
    expect(parseJsonObject(brackets).body).toBe("{[".repeat(5_000));
    // An escaped quote does not end the string: the brackets after it are still text.
    const escaped = JSON.stringify({ body: `say \\"${"[".repeat(200)}\\" and "${"{".repeat(200)}"` });
    expect(escaped).toContain('\\"');
    expect(() => parseJsonObject(escaped)).not.toThrow();
    // An escaped backslash does end before the closing quote: what follows is structure again.
    const backslash = `{"a":"x\\\\","b":${"[".repeat(MAX_JSON_NESTING)}${"]".repeat(MAX_JSON_NESTING)}}`;
    expect(JSON.parse(backslash).a).toBe("x\\");
    expect(errcodeOf(() => parseJsonObject(backslash))).toBe("M_BAD_JSON");
    expect(nestsDeeperThan(`{"a":"x\\\\","b":[[]]}`, 2)).toBe(true);
    expect(nestsDeeperThan(`{"a":"x\\"[[[","b":[]}`, 2)).toBe(false);
  });

  it("answers as a walk of every character would, on 20,000 random texts of brackets, quotes, backslashes and letters", () => {
    // The walk jumps from quote to bracket; this is the plain one it must agree with.
    const everyCharacter = (text: string, max: number) => {
      let depth = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
          if (ch === "\\") i++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === "{" || ch === "[") { if (++depth > max) return true; } else if (ch === "}" || ch === "]") depth--;
      }
      return false;
    };
    let seed = 21;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['{', '[', '}', ']', '"', "\\", "a"];
    const disagreements: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const max = Math.floor(random() * 4);
      if (nestsDeeperThan(text, max) !== everyCharacter(text, max)) disagreements.push(`${max} ${text}`);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it("keeps its other answers: empty is {}, not JSON is M_NOT_JSON, not an object M_BAD_JSON", () => {
    expect(parseJsonObject(" ")).toEqual({});
    expect(errcodeOf(() => parseJsonObject("{"))).toBe("M_NOT_JSON");
    expect(errcodeOf(() => parseJsonObject("[]"))).toBe("M_BAD_JSON");
  });
});

describe("queryJsonObject, for JSON that is not a body (a filter in a query parameter)", () => {
  it("passes the limit and refuses past it with M_BAD_JSON", () => {
    expect(() => queryJsonObject(objects(MAX_JSON_NESTING))).not.toThrow();
    expect(errcodeOf(() => queryJsonObject(objects(MAX_JSON_NESTING + 1)))).toBe("M_BAD_JSON");
  });
});
