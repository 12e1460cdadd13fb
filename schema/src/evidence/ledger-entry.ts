/**
 * One entry of a case's evidence ledger (issue 23, docs/EVIDENCE.md "Ledger"):
 * the content of an `org.onsafe.evidence.entry` event in the case-file room,
 * and the check that a value is one.
 *
 * An entry is never edited: a correction is a new entry whose `corrects` names
 * the sequence number of the one it corrects. Entries are chained (`prev`) and
 * signed by the adding device (`signature`); ledger.ts checks both.
 *
 * Not in the entry: when it was received. That is the event's
 * `origin_server_ts`, set by the homeserver, so the signer cannot vouch for it
 * and it stays outside the signed content (an export lists it beside the entry).
 */

export const LEDGER_ENTRY_EVENT_TYPE = "org.onsafe.evidence.entry";

export const EVIDENCE_KINDS = ["image", "video", "document", "screenshot", "link", "note"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Kinds that are a file sent as an encrypted attachment: they carry its hash, size, type and event. */
export const FILE_KINDS: readonly EvidenceKind[] = ["image", "video", "document", "screenshot"];
/** Kinds that are a picture, so may carry a PDQ hash. */
export const PICTURE_KINDS: readonly EvidenceKind[] = ["image", "screenshot"];

export interface LedgerEntry {
  kind: EvidenceKind;
  /** 1 for the first entry of the case, then each entry one more. */
  sequence: number;
  /** `entryHash` of the entry before (lowercase hex SHA-256), null for sequence 1. */
  prev: string | null;
  /** Lowercase hex SHA-256 of the original bytes, as sent; file kinds only. */
  sha256?: string;
  /** PDQ hash (64 lowercase hex) of a picture, with its quality (0-100): both or neither. */
  pdq?: string;
  pdq_quality?: number;
  /** Bytes of the original; file kinds only. */
  size?: number;
  /** MIME type as sent, e.g. "image/jpeg"; file kinds only. */
  media_type?: string;
  /**
   * When the file says it was captured (EXIF DateTimeOriginal, a video's
   * creation time), ISO 8601 as found: with its offset or `Z` when the file
   * gives one, without when it does not (a camera's local time, zone unknown,
   * so not turned into an instant we cannot vouch for); null when the file
   * says nothing. File kinds only, and required for them.
   */
  captured_at?: string | null;
  /** Where it was posted (required for `link`, allowed on any kind). */
  url?: string;
  /** The service, e.g. "X", "Telegram"; free text. */
  platform?: string;
  /** The account that posted it, as shown on the platform. */
  account?: string;
  /** Free text (required and non-empty for `note`). */
  note?: string;
  /** Matrix user id of who added it. */
  added_by: string;
  /** Their device whose ed25519 key signed the entry. */
  device_id: string;
  /** Event id of the encrypted attachment (m.file/m.image event) in the case-file room; file kinds only. */
  file_event_id?: string;
  /** Sequence number of the entry this one corrects. */
  corrects?: number;
  /** ed25519 signature (unpadded base64) over the canonical JSON of the entry without `signature`. */
  signature: string;
}

/** Limits so a hostile entry cannot make the console, the export or the PDF choke. */
export const LEDGER_LIMITS = {
  note: 4000,
  url: 2048,
  platform: 100,
  account: 200,
  mediaType: 255,
  deviceId: 255,
  userId: 255,
  eventId: 255,
} as const;

const HEX_256 = /^[0-9a-f]{64}$/;
/** 64 bytes in unpadded base64. */
const SIGNATURE = /^[A-Za-z0-9+/]{85}[AQgw]$/;
const USER_ID = /^@[^:\s]+:\S+$/;
const EVENT_ID = /^\$\S+$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;
/** ISO 8601 date-time, seconds required, fraction and offset optional (see `captured_at`). */
const CAPTURED_AT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

const ALLOWED_KEYS = new Set([
  "kind", "sequence", "prev", "sha256", "pdq", "pdq_quality", "size", "media_type", "captured_at",
  "url", "platform", "account", "note", "added_by", "device_id", "file_event_id", "corrects", "signature",
]);

/**
 * What is wrong with `value` as a ledger entry: an empty list when it is one.
 * Unknown keys are refused too, so everything an entry says is something this
 * code and the verifier understand (a new field needs a new format, noted in
 * docs/EVIDENCE.md).
 */
export function ledgerEntryProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["not an object"];
  const e = value as Record<string, unknown>;
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);

  for (const key of Object.keys(e)) if (!ALLOWED_KEYS.has(key)) fail(`unknown field ${key}`);

  const kind = e.kind as EvidenceKind;
  if (!EVIDENCE_KINDS.includes(kind)) fail("kind is not one of " + EVIDENCE_KINDS.join(", "));
  const isFile = FILE_KINDS.includes(kind);

  if (!isPositiveInteger(e.sequence)) fail("sequence is not a positive integer");
  else if (e.sequence === 1 ? e.prev !== null : !isHex256(e.prev)) {
    fail(e.sequence === 1 ? "prev must be null on the first entry" : "prev is not a lowercase hex SHA-256");
  }

  if (isFile) {
    if (!isHex256(e.sha256)) fail("sha256 is not a lowercase hex SHA-256");
    if (!isNonNegativeInteger(e.size)) fail("size is not a non-negative integer");
    if (!isBoundedString(e.media_type, LEDGER_LIMITS.mediaType) || !MEDIA_TYPE.test(e.media_type)) fail("media_type is not a MIME type");
    if (e.captured_at !== null && !(typeof e.captured_at === "string" && CAPTURED_AT.test(e.captured_at))) {
      fail("captured_at is neither null nor an ISO 8601 date-time");
    }
    if (!isBoundedString(e.file_event_id, LEDGER_LIMITS.eventId) || !EVENT_ID.test(e.file_event_id)) fail("file_event_id is not an event id");
  } else {
    for (const key of ["sha256", "size", "media_type", "captured_at", "file_event_id"]) {
      if (key in e) fail(`${key} is only for files`);
    }
  }

  if ("pdq" in e || "pdq_quality" in e) {
    if (!PICTURE_KINDS.includes(kind)) fail("pdq is only for images and screenshots");
    if (!isHex256(e.pdq)) fail("pdq is not 64 lowercase hex characters");
    if (!isNonNegativeInteger(e.pdq_quality) || e.pdq_quality > 100) fail("pdq_quality is not an integer 0-100");
  }

  if (kind === "link" || "url" in e) {
    if (!isBoundedString(e.url, LEDGER_LIMITS.url) || !isWebUrl(e.url)) fail("url is not an http(s) URL");
  }
  if ("platform" in e && !isBoundedString(e.platform, LEDGER_LIMITS.platform)) fail("platform is not a short text");
  if ("account" in e && !isBoundedString(e.account, LEDGER_LIMITS.account)) fail("account is not a short text");
  if (kind === "note" || "note" in e) {
    if (!isBoundedString(e.note, LEDGER_LIMITS.note)) fail(`note is not a text of 1-${LEDGER_LIMITS.note} characters`);
  }

  if (!isBoundedString(e.added_by, LEDGER_LIMITS.userId) || !USER_ID.test(e.added_by)) fail("added_by is not a user id");
  if (!isBoundedString(e.device_id, LEDGER_LIMITS.deviceId) || /[\s|]/.test(e.device_id)) fail("device_id is not a device id");

  if ("corrects" in e) {
    if (!isPositiveInteger(e.corrects) || !(isPositiveInteger(e.sequence) && e.corrects < e.sequence)) {
      fail("corrects is not the sequence number of an earlier entry");
    }
  }

  if (typeof e.signature !== "string" || !SIGNATURE.test(e.signature)) fail("signature is not 64 bytes of unpadded base64");
  return problems;
}

export function isLedgerEntry(value: unknown): value is LedgerEntry {
  return ledgerEntryProblems(value).length === 0;
}

function isHex256(value: unknown): value is string {
  return typeof value === "string" && HEX_256.test(value);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isNonNegativeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A string of 1 to `max` characters that is not only whitespace. */
function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.trim().length > 0 && value.length <= max;
}

/**
 * http or https only: a ledger URL is shown to staff, exported into a PDF and
 * may be opened; `javascript:` or `data:` there would be a trap, not evidence.
 */
function isWebUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
