/**
 * The evidence ledger (docs/EVIDENCE.md "Ledger"): Matrix canonical JSON
 * against the spec's own examples, and a chain of three entries signed with a
 * real ed25519 key (WebCrypto's, as a device's would be) that verifies, then
 * fails, naming the entry and the check, when one byte of any field changes,
 * when entries are reordered or dropped, or the key is wrong.
 */
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson } from "../canonical-json.ts";
import {
  type LedgerEntry,
  type LedgerProblem,
  type UnsignedLedgerEntry,
  encodeUnpaddedBase64,
  entryHash,
  ledgerEntryProblems,
  signLedgerEntry,
  verifyLedger,
} from "./ledger.ts";

describe("canonical JSON: the spec's examples (appendices, Canonical JSON)", () => {
  // Input as the spec writes it (JSON text), output exactly as it gives it.
  const examples: [string, string][] = [
    ["{}", "{}"],
    ['{\n    "one": 1,\n    "two": "Two"\n}', '{"one":1,"two":"Two"}'],
    ['{\n    "b": "2",\n    "a": "1"\n}', '{"a":"1","b":"2"}'],
    ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
    [
      `{
    "auth": {
        "success": true,
        "mxid": "@john.doe:example.com",
        "profile": {
            "display_name": "John Doe",
            "three_pids": [
                { "medium": "email", "address": "john.doe@example.org" },
                { "medium": "msisdn", "address": "123456789" }
            ]
        }
    }
}`,
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
    ],
    ['{\n    "a": "日本語"\n}', '{"a":"日本語"}'],
    ['{\n    "本": 2,\n    "日": 1\n}', '{"日":1,"本":2}'],
    ['{\n    "a": "\\u65E5"\n}', '{"a":"日"}'],
    ['{\n    "a": null\n}', '{"a":null}'],
    ['{\n    "a": -0,\n    "b": 1e10\n}', '{"a":0,"b":10000000000}'],
  ];
  for (const [input, output] of examples) {
    it(`${JSON.stringify(input).slice(0, 40)} → ${output.slice(0, 40)}`, () => {
      expect(canonicalJson(JSON.parse(input))).toBe(output);
    });
  }

  it("escapes only what the spec's grammar escapes: short forms, \\u00XX in lowercase, nothing else", () => {
    const text = '"\\/\b\f\n\r\t\u0000\u0007\u000b\u001f\u007f\u2028é😀';
    expect(canonicalJson({ s: text })).toBe('{"s":"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0007\\u000b\\u001f\u007f\u2028é😀"}');
  });

  it("sorts keys by code point, not by UTF-16 code unit", () => {
    // U+FB01 is one code unit (0xFB01), U+1F600 two (0xD83D 0xDE00): UTF-16 order puts the emoji first.
    expect(canonicalJson({ "\uFB01": 1, "😀": 2, a: 3 })).toBe('{"a":3,"\uFB01":1,"😀":2}');
  });

  it("refuses what has no single canonical form: floats, out-of-range integers, lone surrogates, undefined, objects of a class", () => {
    for (const bad of [{ a: 1.5 }, { a: 2 ** 53 }, { a: -(2 ** 53) }, { a: Number.NaN }, { a: "\ud800" }, { "\udc00": 1 }, { a: undefined }, { a: new Date(0) }, [1n]]) {
      expect(() => canonicalJson(bad), JSON.stringify(bad, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))).toThrow(CanonicalJsonError);
    }
    expect(canonicalJson({ a: 2 ** 53 - 1, b: -(2 ** 53) + 1 })).toBe('{"a":9007199254740991,"b":-9007199254740991}');
  });
});

const VICTIM = "@visitor-7f3a:onsafe.test";
const DEVICE = "ABCDEFGHIJ";
const KEY_ID = `${VICTIM}|${DEVICE}`;
const HASH_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

async function newDeviceKey(): Promise<{ publicKey: string; sign: (text: string) => Promise<string> }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = encodeUnpaddedBase64(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
  const sign = async (text: string) =>
    encodeUnpaddedBase64(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new TextEncoder().encode(text))));
  return { publicKey, sign };
}

/** Three entries as a victim's device would add them: a photo, the link where it was posted, a note correcting the photo's entry. */
async function threeEntries(sign: (text: string) => Promise<string>): Promise<LedgerEntry[]> {
  const bodies: Omit<UnsignedLedgerEntry, "sequence" | "prev">[] = [
    {
      kind: "image",
      sha256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
      pdq: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
      pdq_quality: 100,
      size: 123456,
      media_type: "image/jpeg",
      captured_at: "2026-11-30T21:14:05",
      added_by: VICTIM,
      device_id: DEVICE,
      file_event_id: "$Q1w2e3r4t5y6u7i8o9p0",
    },
    {
      kind: "link",
      url: "https://example.social/p/123456",
      platform: "Example Social",
      account: "@someone",
      note: "게시된 곳 / where it was posted",
      added_by: VICTIM,
      device_id: DEVICE,
    },
    { kind: "note", note: "The photo was taken in October, not November.", corrects: 1, added_by: VICTIM, device_id: DEVICE },
  ];
  return chainOf(bodies, sign);
}

/** Signed entries with sequence and prev filled in, as a device adds them one after another. */
async function chainOf(bodies: object[], sign: (text: string) => Promise<string>): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const body of bodies) {
    const previous = entries.at(-1);
    const unsigned = { ...body, sequence: entries.length + 1, prev: previous === undefined ? null : entryHash(previous) };
    entries.push(await signLedgerEntry(unsigned as UnsignedLedgerEntry, sign));
  }
  return entries;
}

/** The problems verifyLedger reports, per position, only for entries that failed. */
function failures(result: Awaited<ReturnType<typeof verifyLedger>>): Record<number, LedgerProblem[]> {
  return Object.fromEntries(result.entries.filter((e) => !e.ok).map((e) => [e.position, e.problems]));
}

/** `value` with one character (or the number) changed, staying the same kind of value. */
function changedByOne(value: unknown): unknown {
  if (typeof value === "number") return value + 1;
  if (value === null) return HASH_A; // the only nulls: the first prev, a missing captured_at
  const text = String(value);
  const i = Math.floor(text.length / 2);
  const ch = text[i];
  const swapped = /[0-9]/.test(ch) ? String((Number(ch) + 1) % 10) : /[a-f]/.test(ch) ? (ch === "f" ? "a" : String.fromCharCode(ch.charCodeAt(0) + 1)) : ch === "X" ? "Y" : "X";
  return text.slice(0, i) + swapped + text.slice(i + 1);
}

describe("the ledger's chain and signatures", () => {
  it("a chain of three entries signed by the adding device verifies, and its head is the last entry's hash", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const entries = await threeEntries(sign);
    expect(entries.map((e) => ledgerEntryProblems(e))).toEqual([[], [], []]);
    const result = await verifyLedger(entries, { [KEY_ID]: publicKey });
    expect(failures(result)).toEqual({});
    expect(result.ok).toBe(true);
    expect(result.head).toBe(entryHash(entries[2]));
    // As it would arrive from a package: parsed from JSON text.
    expect((await verifyLedger(JSON.parse(JSON.stringify(entries)), new Map([[KEY_ID, publicKey]]))).ok).toBe(true);
  });

  it("one changed byte in any field of any entry fails that entry's signature and the next entry's chain", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const entries = await threeEntries(sign);
    let cases = 0;
    const shapeOnly: string[] = [];
    for (const [index, entry] of entries.entries()) {
      for (const field of Object.keys(entry) as (keyof LedgerEntry)[]) {
        const changed = entries.map((e) => ({ ...e }));
        (changed[index] as Record<string, unknown>)[field] = changedByOne(entry[field]);
        const result = await verifyLedger(changed, { [KEY_ID]: publicKey });
        const expected: Record<number, LedgerProblem[]> = {};
        const own: LedgerProblem[] = [];
        if (field === "sequence") own.push("sequence");
        if (field === "prev") own.push("chain");
        // Changed added_by/device_id name another device, which has no key here: still "signature".
        own.push("signature");
        // A change that makes it no valid entry at all (kind "imXge") is named as such.
        const invalid = ledgerEntryProblems(changed[index]).length > 0;
        if (invalid) shapeOnly.push(`${index + 1}.${field}`);
        expected[index + 1] = invalid ? ["shape"] : own;
        if (index + 1 < entries.length) expected[index + 2] = ["chain"];
        expect(failures(result), `entry ${index + 1}, field ${field}`).toEqual(expected);
        expect(result.ok).toBe(false);
        cases++;
      }
    }
    // These changes make no valid entry (kind "imXge", quality 101, "imageXjpeg", a first entry
    // with sequence 2 or a prev); every other change is caught by the signature.
    expect(shapeOnly).toEqual(["1.kind", "1.pdq_quality", "1.media_type", "1.sequence", "1.prev", "2.kind", "3.kind"]);
    expect(cases).toBe(Object.keys(entries[0]).length + Object.keys(entries[1]).length + Object.keys(entries[2]).length);
  });

  it("reordered entries fail sequence and chain where they moved", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const [one, two, three] = await threeEntries(sign);
    const result = await verifyLedger([one, three, two], { [KEY_ID]: publicKey });
    expect(failures(result)).toEqual({ 2: ["sequence", "chain"], 3: ["sequence", "chain"] });
  });

  it("a dropped entry fails the one that took its place; a dropped last entry changes the head", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const [one, two, three] = await threeEntries(sign);
    const keys = { [KEY_ID]: publicKey };
    expect(failures(await verifyLedger([one, three], keys))).toEqual({ 2: ["sequence", "chain"] });
    expect(failures(await verifyLedger([two, three], keys))).toEqual({ 1: ["sequence", "chain"], 2: ["sequence"] });
    const cut = await verifyLedger([one, two], keys);
    // The chain alone cannot see a cut at the end (docs/EVIDENCE.md): the recorded head can.
    expect(cut.ok).toBe(true);
    expect(cut.head).not.toBe(entryHash(three));
    expect(cut.head).toBe(entryHash(two));
  });

  it("a wrong or missing device key fails every entry's signature and nothing else", async () => {
    const { sign } = await newDeviceKey();
    const other = await newDeviceKey();
    const entries = await threeEntries(sign);
    const all: Record<number, LedgerProblem[]> = { 1: ["signature"], 2: ["signature"], 3: ["signature"] };
    expect(failures(await verifyLedger(entries, { [KEY_ID]: other.publicKey }))).toEqual(all);
    expect(failures(await verifyLedger(entries, {}))).toEqual(all);
    expect(failures(await verifyLedger(entries, { [`${VICTIM}|OTHERDEVICE`]: other.publicKey }))).toEqual(all);
    // A key that is not a point on the curve, or not 32 bytes, is a failed check, not a crash.
    expect(failures(await verifyLedger(entries, { [KEY_ID]: encodeUnpaddedBase64(new Uint8Array(32).fill(0xff)) }))).toEqual(all);
    expect(failures(await verifyLedger(entries, { [KEY_ID]: "AAAA" }))).toEqual(all);
  });

  it("a file whose SHA-256 is not the entry's, or a missing file, fails that entry's hash check", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const entries = await threeEntries(sign);
    const keys = { [KEY_ID]: publicKey };
    expect((await verifyLedger(entries, keys, { fileHashes: new Map([[1, entries[0].sha256!]]) })).ok).toBe(true);
    expect(failures(await verifyLedger(entries, keys, { fileHashes: new Map([[1, HASH_A]]) }))).toEqual({ 1: ["hash"] });
    expect(failures(await verifyLedger(entries, keys, { fileHashes: new Map() }))).toEqual({ 1: ["hash"] });
  });

  it("an entry that is not a valid entry fails shape, and the next entry's chain still checks against it", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const entries: unknown[] = await threeEntries(sign);
    const keys = { [KEY_ID]: publicKey };
    entries[1] = { ...(entries[1] as LedgerEntry), extra: "field" };
    expect(failures(await verifyLedger(entries, keys))).toEqual({ 2: ["shape"], 3: ["chain"] });
    entries[1] = { ...(entries[1] as LedgerEntry), size: 1.5 }; // no canonical form, so no hash
    expect(failures(await verifyLedger(entries, keys))).toEqual({ 2: ["shape"], 3: ["chain"] });
    expect(failures(await verifyLedger(["not an entry"], keys))).toEqual({ 1: ["shape"] });
  });

  it("an entry the verifier does not understand, chained to as signed, fails only itself", async () => {
    const { publicKey, sign } = await newDeviceKey();
    const note = { kind: "note", note: "n", added_by: VICTIM, device_id: DEVICE };
    // e.g. a later format's field: the next entry's prev is its true hash, so the chain holds.
    const entries = await chainOf([note, { ...note, future_field: 1 }, note], sign);
    expect(failures(await verifyLedger(entries, { [KEY_ID]: publicKey }))).toEqual({ 2: ["shape"] });
  });
});

describe("the entry validator", () => {
  const signature = "A".repeat(85) + "Q";
  const image: LedgerEntry = {
    kind: "image",
    sequence: 2,
    prev: HASH_A,
    sha256: HASH_A,
    pdq: HASH_A,
    pdq_quality: 90,
    size: 10,
    media_type: "image/png",
    captured_at: null,
    added_by: VICTIM,
    device_id: DEVICE,
    file_event_id: "$abc",
    signature,
  };
  const link: LedgerEntry = { kind: "link", sequence: 1, prev: null, url: "https://example.org/x", added_by: VICTIM, device_id: DEVICE, signature };

  it("accepts a file entry and a link entry", () => {
    expect(ledgerEntryProblems(image)).toEqual([]);
    expect(ledgerEntryProblems(link)).toEqual([]);
    expect(ledgerEntryProblems({ ...image, captured_at: "2024-03-01T14:22:10+09:00", corrects: 1 })).toEqual([]);
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown field", { ...link, received_at: 1 }, /unknown field received_at/],
    ["an unknown kind", { ...link, kind: "audio" }, /kind/],
    ["a file without its SHA-256", { ...image, sha256: undefined }, /sha256/],
    ["an uppercase SHA-256", { ...image, sha256: HASH_A.toUpperCase() }, /sha256/],
    ["a link with a SHA-256", { ...link, sha256: HASH_A }, /sha256 is only for files/],
    ["a file without its event", { ...image, file_event_id: undefined }, /file_event_id/],
    ["a file without captured_at (null is required when unknown)", { ...image, captured_at: undefined }, /captured_at/],
    ["EXIF's own date format", { ...image, captured_at: "2024:03:01 14:22:10" }, /captured_at/],
    ["a negative size", { ...image, size: -1 }, /size/],
    ["a media type that is not one", { ...image, media_type: "jpeg" }, /media_type/],
    ["PDQ on a video", { ...image, kind: "video" }, /pdq is only for images/],
    ["PDQ without its quality", { ...image, pdq_quality: undefined }, /pdq_quality/],
    ["PDQ quality over 100", { ...image, pdq_quality: 101 }, /pdq_quality/],
    ["sequence 0", { ...link, sequence: 0 }, /sequence/],
    ["a first entry with a prev", { ...link, prev: HASH_A }, /prev must be null/],
    ["a later entry without a prev", { ...image, prev: null }, /prev/],
    ["a link without a URL", { ...link, url: undefined }, /url/],
    ["a javascript: URL", { ...link, url: "javascript:alert(1)" }, /url/],
    ["a note without text", { ...link, kind: "note", url: undefined, note: " " }, /note/],
    ["a note over the limit", { ...link, note: "x".repeat(4001) }, /note/],
    ["added_by that is not a user id", { ...link, added_by: "visitor" }, /added_by/],
    ["a device id with the key separator", { ...link, device_id: "A|B" }, /device_id/],
    ["corrects naming a later entry", { ...image, corrects: 2 }, /corrects/],
    ["a signature that is not 64 bytes", { ...link, signature: "AAAA" }, /signature/],
    ["no signature", { ...link, signature: undefined }, /signature/],
  ];
  for (const [what, value, problem] of refusals) {
    it(`refuses ${what}`, () => {
      // JSON round trip: an `undefined` field is an absent field, as in a received event.
      const problems = ledgerEntryProblems(JSON.parse(JSON.stringify(value)));
      expect(problems.join("; ")).toMatch(problem);
    });
  }
});
