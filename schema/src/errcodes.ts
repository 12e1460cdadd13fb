/** Matrix error codes used by onsafe (Client-Server API "Standard error response"). */
export const ERRCODES = [
  "M_FORBIDDEN",
  "M_UNKNOWN_TOKEN",
  "M_MISSING_TOKEN",
  "M_BAD_JSON",
  "M_NOT_JSON",
  "M_NOT_FOUND",
  "M_LIMIT_EXCEEDED",
  "M_UNRECOGNIZED",
  "M_UNKNOWN",
  "M_USER_IN_USE",
  "M_INVALID_USERNAME",
  "M_INVALID_PARAM",
  "M_MISSING_PARAM",
  "M_TOO_LARGE",
  "M_USER_DEACTIVATED",
  "M_GUEST_ACCESS_FORBIDDEN",
  "M_WRONG_ROOM_KEYS_VERSION",
  "M_INVALID_SIGNATURE",
  "M_INVALID_ROOM_STATE",
  "M_UNSUPPORTED_ROOM_VERSION",
  "M_BAD_STATE",
  "M_EXCLUSIVE",
  "M_WEAK_PASSWORD",
  "M_RESOURCE_LIMIT_EXCEEDED",
  // onsafe's own (issue 21): a password guess must carry a solved proof-of-work challenge (schema/src/proof-of-work.ts)
  "ORG.ONSAFE.POW_REQUIRED",
] as const;
export type Errcode = (typeof ERRCODES)[number];

/** The body of every error response. */
export interface MatrixErrorBody {
  errcode: Errcode;
  error: string;
  [extra: string]: unknown;
}
