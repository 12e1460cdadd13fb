/**
 * Canonical JSON as the Matrix spec defines it (appendices, "Canonical JSON"):
 * the shortest UTF-8 JSON, object keys sorted by Unicode code point, no
 * insignificant whitespace, numbers only integers in [-(2**53)+1, (2**53)-1]
 * (-0 written as 0), strings escaped only where the spec's grammar must
 * (`\"`, `\\`, `\b \f \n \r \t`, `\u00XX` in lowercase hex for the other
 * control characters).
 *
 * It is what Matrix signs (device keys, cross-signing) and what the evidence
 * ledger signs and hashes (docs/EVIDENCE.md "Ledger"), so it refuses rather
 * than guesses: a float, a number out of range, a lone surrogate (no UTF-8
 * encoding exists) or a value JSON has no form for (undefined, a function, a
 * bigint) throws `CanonicalJsonError`, because two implementations would
 * encode those differently and a signature over them would prove nothing.
 *
 * TODO(issue 23): chat-server/src/services/signed-json.ts has its own, more
 * lenient `canonicalJson` (it accepts floats and sorts keys by UTF-16 code
 * unit, which differs from code point order only for keys mixing characters
 * above U+FFFF with ones in U+E000-U+FFFF). It verifies other clients'
 * signatures, where refusing floats changes behaviour; moving it onto this one
 * is a separate, tested change.
 */

export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
}

const MAX_INTEGER = 2 ** 53 - 1;

/** Lone surrogates: JSON.stringify would write them as `\udXXX`, which the spec's grammar has no place for. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The canonical JSON text of `value`; encode it with `TextEncoder` for the bytes. */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

/** `canonicalJson(value)` as UTF-8 bytes: what is signed and hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** Deep enough for any Matrix content (signatures nest 4); a cycle or a hostile depth stops here, not in a stack overflow. */
const MAX_DEPTH = 64;

function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalJsonError(`nested deeper than ${MAX_DEPTH}`);
  if (value === null || value === true || value === false) return String(value);
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new CanonicalJsonError(`not an integer: ${value}`);
    if (Math.abs(value) > MAX_INTEGER) throw new CanonicalJsonError(`integer out of range: ${value}`);
    // String(-0) is "0", as the spec's example wants; integers in range never take an exponent.
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => encode(item, depth + 1)).join(",")}]`;
  if (typeof value === "object" && isPlainObject(value)) {
    const object = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(object).sort(byCodePoint)) {
      const member = object[key];
      // JSON.stringify drops undefined members; a signer that kept them would disagree, so refuse.
      if (member === undefined) throw new CanonicalJsonError(`undefined value at key ${JSON.stringify(key)}`);
      members.push(`${encodeString(key)}:${encode(member, depth + 1)}`);
    }
    return `{${members.join(",")}}`;
  }
  throw new CanonicalJsonError(`no JSON form for ${describe(value)}`);
}

/**
 * JSON.stringify escapes exactly the spec's set: `"` and `\`, the five short
 * escapes, `\u00XX` (lowercase) for the other control characters, and nothing
 * else (not `/`, not U+2028/U+2029, not non-ASCII); lone surrogates, which it
 * would write as `\udXXX`, are refused first.
 */
function encodeString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError("a string with a lone surrogate has no UTF-8 form");
  return JSON.stringify(text);
}

/** Unicode code point order (= UTF-8 byte order), not JavaScript's UTF-16 code unit order. */
function byCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    // A pair's low half was compared with the high half; skip it.
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** What JSON.parse makes; a Date, Map or class instance has no one JSON form. */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (typeof value === "object") return `an object of class ${(value as object).constructor?.name ?? "null-prototype"}`;
  return `a value of type ${typeof value}`;
}
