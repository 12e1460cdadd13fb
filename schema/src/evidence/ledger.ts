/**
 * The evidence ledger's chain and signatures (issue 23, docs/EVIDENCE.md
 * "Ledger"), the same code for the app that adds entries, the console that
 * shows them and the verifier that checks an exported package, in the browser
 * and in Node.
 *
 * - An entry is signed with its device's ed25519 key over the canonical JSON
 *   (Matrix's) of the entry without `signature`.
 * - Its hash, `entryHash`, is SHA-256 of the canonical JSON of the whole entry,
 *   signature included; the next entry's `prev` is that hash, so an export can
 *   prove the order and that nothing was taken out in between.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { canonicalJson, canonicalJsonBytes } from "../canonical-json.ts";
import { verifyEd25519 } from "./ed25519.ts";
import { ledgerEntryProblems, type LedgerEntry } from "./ledger-entry.ts";

export * from "./ledger-entry.ts";
export { decodeBase64, encodeUnpaddedBase64, Ed25519UnavailableError } from "./ed25519.ts";

/** An entry before it is signed. */
export type UnsignedLedgerEntry = Omit<LedgerEntry, "signature">;

/** The text a device signs: canonical JSON of the entry without `signature`. */
export function entrySigningText(entry: UnsignedLedgerEntry | LedgerEntry): string {
  const { signature: _signature, ...unsigned } = entry as LedgerEntry;
  return canonicalJson(unsigned);
}

/** Lowercase hex SHA-256 of the entry's canonical JSON, signature included: the next entry's `prev`. */
export function entryHash(entry: LedgerEntry): string {
  return bytesToHex(sha256(canonicalJsonBytes(entry)));
}

/**
 * Signs `entry` with `sign`, which returns the unpadded base64 ed25519
 * signature of the text it is given (in the app: the Matrix device key
 * through the OlmMachine, docs/EVIDENCE.md "Signing in the browser").
 */
export async function signLedgerEntry(entry: UnsignedLedgerEntry, sign: (text: string) => Promise<string>): Promise<LedgerEntry> {
  return { ...entry, signature: await sign(entrySigningText(entry)) };
}

/** Which check an entry failed. */
export type LedgerProblem =
  /** not a valid entry (ledger-entry.ts), so its other checks are not made */
  | "shape"
  /** its sequence number is not its position (1, 2, 3, …) */
  | "sequence"
  /** its `prev` is not the hash of the entry before it (or not null for the first) */
  | "chain"
  /** no key for its device, or the signature does not verify with it */
  | "signature"
  /** the file given for it does not have its SHA-256, or is missing */
  | "hash";

export interface EntryVerification {
  /** The entry's position in the list given, from 1 (what its sequence should be). */
  position: number;
  ok: boolean;
  problems: LedgerProblem[];
}

export interface LedgerVerification {
  ok: boolean;
  entries: EntryVerification[];
  /**
   * `entryHash` of the last entry (null for an empty ledger). The chain cannot
   * show that entries were cut off at the end; comparing this with a head
   * recorded elsewhere (printed in the hash confirmation) can.
   */
  head: string | null;
}

export interface VerifyLedgerOptions {
  /**
   * SHA-256 (lowercase hex) of the file the package holds for each sequence
   * number, computed by the caller from the bytes; when given, every file
   * entry's `sha256` must match its file ("hash").
   */
  fileHashes?: ReadonlyMap<number, string>;
}

/**
 * Checks a ledger in the order given (the room's timeline order, or the
 * package's `ledger.json`). `deviceKeys` maps `${user_id}|${device_id}` to the
 * device's ed25519 public key (unpadded base64), as the adder's device keys
 * say; which keys to trust is the caller's question (docs/EVIDENCE.md).
 *
 * Every entry is checked on its own, so one changed entry is named and the
 * rest still report: a changed byte in entry n fails n's signature and n+1's
 * chain; a dropped or moved entry fails sequence and chain where it was.
 */
export async function verifyLedger(
  entries: readonly unknown[],
  deviceKeys: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  options: VerifyLedgerOptions = {},
): Promise<LedgerVerification> {
  // Own entries only: a record's prototype ("constructor", "toString") is no key.
  const keys: ReadonlyMap<string, string> = deviceKeys instanceof Map ? deviceKeys : new Map(Object.entries(deviceKeys));
  const results: EntryVerification[] = [];
  let previousHash: string | null = null;
  for (const [index, value] of entries.entries()) {
    const position = index + 1;
    const problems: LedgerProblem[] = [];
    if (ledgerEntryProblems(value).length > 0) {
      problems.push("shape");
    } else {
      const entry = value as LedgerEntry;
      if (entry.sequence !== position) problems.push("sequence");
      if (entry.prev !== (index === 0 ? null : previousHash)) problems.push("chain");
      const key = keys.get(`${entry.added_by}|${entry.device_id}`);
      const signed = new TextEncoder().encode(entrySigningText(entry));
      if (key === undefined || !(await verifyEd25519(key, signed, entry.signature))) problems.push("signature");
      if (options.fileHashes !== undefined && entry.sha256 !== undefined && options.fileHashes.get(entry.sequence) !== entry.sha256) {
        problems.push("hash");
      }
    }
    results.push({ position, ok: problems.length === 0, problems });
    previousHash = hashOrNull(value);
  }
  return { ok: results.every((r) => r.ok), entries: results, head: previousHash };
}

/** A malformed entry may still hash (its successor's `prev` is checked against it); one with no canonical form cannot. */
function hashOrNull(value: unknown): string | null {
  try {
    return entryHash(value as LedgerEntry);
  } catch {
    return null;
  }
}
