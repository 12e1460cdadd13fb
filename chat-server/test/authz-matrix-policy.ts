/**
 * The vocabulary of the authorization matrix: what a row is, what a cell may
 * hold, and the few policy shapes the rows share. The expected cells are the
 * policy (DESIGN.md "Accounts and policy" and "Security and privacy
 * principles", and the Matrix Client-Server spec), written down here, not
 * read from what the server answers.
 */
import type { Reply } from "./harness.ts";
import type { Account } from "./harness.ts";
import type { Caller, CallerKind, MemberKind, World } from "./authz-matrix-world.ts";

/**
 * A cell: the status the request must get. 401 is `M_MISSING_TOKEN`, 403 is
 * `M_FORBIDDEN`, 404 is `M_NOT_FOUND`; `hidden` is a 200 that leaves the
 * target out as if it did not exist (and changes nothing of theirs); `n/a`
 * is a combination that cannot be asked (e.g. the triage bot inviting itself).
 */
export type Cell = 200 | 401 | 403 | 404 | "hidden" | "n/a";

/**
 * What "in" and "out" mean for a row: `room` — the caller is a member of the
 * target room or not; `peer` — the caller shares a room with the target user
 * or not; `self` — the path names the caller's own user (or device) or
 * someone else's; `—` — only the account kind matters.
 */
export type Scope = "—" | "room" | "peer" | "self";

export interface Probe {
  method: string;
  /** The full path, with its query. */
  path: string;
  body?: unknown;
  raw?: Uint8Array;
  headers?: Record<string, string>;
  /** Send as this account instead of the caller (a second device or a throwaway account of the caller's kind). */
  as?: Account;
}

export interface Row {
  method: string;
  /** The route exactly as the app's route table names it. */
  route: string;
  /** Which of several requests to the same route this row sends. */
  variant?: string;
  scope: Scope;
  expect(kind: CallerKind, inScope: boolean): Cell;
  /** The valid request; `undefined` only where the policy says `n/a`. */
  build(w: World, caller: Caller, inScope: boolean): Promise<Probe | undefined>;
  /** For `hidden` cells: whether the answer gives away anything of the target. */
  reveals?(reply: Reply, w: World): boolean;
  /** For `hidden` cells: tables holding only the caller's own bookkeeping, which may change. */
  ownTables?: string[];
}

export const C = "/_matrix/client/v3";

/** Paths reachable without a token: every column gets the same answer. */
export const open = (cell: Cell) => () => cell;

/** Every other route needs a token: no token is 401 M_MISSING_TOKEN. */
export const authed = (policy: (kind: MemberKind, inScope: boolean) => Cell) =>
  (kind: CallerKind, inScope: boolean): Cell => kind === "none" ? 401 : policy(kind, inScope);

/** Any account may, whatever its kind. */
export const anyAccount = (cell: Cell = 200) => authed(() => cell);

/** DESIGN.md: visitors have "no user directory, no public rooms, … no profile lookups of others". */
export const notVisitors = authed((kind) => kind === "visitor" ? 403 : 200);

/** Members may; a non-member gets `out` (403, or 404 where the spec hides whether the event exists). */
export const membersOnly = (out: 403 | 404 = 403) => authed((_, inRoom) => inRoom ? 200 : out);

/** Only on one's own user or device; someone else's gets `out`. */
export const ownOnly = (out: 403 | 404 = 403) => authed((_, own) => own ? 200 : out);

/** The account a request acts for: the caller, or for `none` the peer (a real id the request can name). */
export const actor = (w: World, caller: Caller): Account => caller.account ?? w.peer;

/** The user a `peer`-scoped request names: one sharing a room with the caller, or one sharing none. */
export const target = (w: World, inScope: boolean): Account => inScope ? w.peer : w.loner;

export const triage = (w: World): Account => w.callers.get("bot")!.account!;
