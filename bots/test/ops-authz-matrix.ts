/**
 * The ops API's authorization policy as data (issue 10): for every route, what
 * each kind of caller gets, on a resource of their own and on someone else's.
 * Written from DESIGN.md "Accounts and policy", docs/OPS-API.md,
 * docs/SCHEDULING.md and docs/REFERRALS.md, not from what the server answers:
 * `ops-authz-matrix.test.ts` sends every cell to the running stack and
 * fails where the two differ, and renders this table as docs/AUTHZ-OPS-API.md.
 */

/** Who calls: no token, a token the homeserver does not know, and the account kinds of DESIGN.md. */
export const KINDS = ["none", "unknown", "visitor", "bot", "admin", "partner", "companion", "supervisor"] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, string> = {
  none: "no token",
  unknown: "unknown token",
  visitor: "visitor",
  bot: "bot",
  admin: "admin",
  partner: "partner",
  companion: "companion",
  supervisor: "supervisor",
};

/**
 * Kinds for whom a resource can be their own: the victim of the case, the
 * partner organisation the referral went to, the companion or supervisor it is
 * assigned to. A request with no token, a bot's or an admin's is refused before
 * any resource is looked at, so they get one cell.
 */
export const SCOPED_KINDS: readonly Kind[] = ["visitor", "partner", "companion", "supervisor"];

export type Scope = "own" | "other";
export type Status = 200 | 401 | 403 | 404 | 409;
/** One status, or `[own, other]` on a scoped row. */
export type Cell = Status | readonly [own: Status, other: Status];

export interface Row {
  /** Method and path after `/_onsafe/v1`, with Hono's `:param`s, as the app's route table lists it. */
  route: string;
  /** The path names a case, appointment, slot or referral, which is the caller's or someone else's. */
  scoped: boolean;
  /** A second row for a route whose answer depends on the case's state: the state, in words. */
  when?: "the case waits" | "the case is closed" | "the alert is answered";
  /** Who may, in the docs' words. */
  who: string;
  /** Cells that differ from the refusals of `refused()`. */
  allow: Partial<Record<Kind, Cell>>;
}

/** What a kind gets where the row does not say: no token 401, everyone outside companions and supervisors 403. */
function refused(kind: Kind): Status {
  return kind === "none" || kind === "unknown" ? 401 : 403;
}

export function expected(row: Row, kind: Kind, scope: Scope): Status {
  const cell = row.allow[kind] ?? refused(kind);
  if (typeof cell === "number") return cell;
  return scope === "own" ? cell[0] : cell[1];
}

/** The cells a row has for a kind: own and other on scoped rows for scoped kinds, else one. */
export function scopesOf(row: Row, kind: Kind): Scope[] {
  return row.scoped && SCOPED_KINDS.includes(kind) ? ["own", "other"] : ["own"];
}

export function errcodeOf(kind: Kind, status: Status): string | undefined {
  if (status === 401) return kind === "unknown" ? "M_UNKNOWN_TOKEN" : "M_MISSING_TOKEN";
  if (status === 403) return "M_FORBIDDEN";
  if (status === 404) return "M_NOT_FOUND";
  if (status === 409) return "M_BAD_STATE";
  return undefined;
}

const everyone = Object.fromEntries(KINDS.map((k) => [k, 200])) as Record<Kind, Status>;
const staff = { companion: 200, supervisor: 200 } as const;
const withPartners = { partner: 200, ...staff } as const;
const supervisors = { companion: 403, supervisor: 200 } as const;

const row = (route: string, who: string, allow: Row["allow"]): Row => ({ route, scoped: false, who, allow });
const scoped = (route: string, who: string, companion: Cell, supervisor: Cell, when?: Row["when"]): Row => ({ route, scoped: true, who, allow: { companion, supervisor }, when });

/**
 * In the order the test sends them: reads and directory changes first, then
 * the cases' appointments and referrals, then transfers (each one undone by a
 * supervisor) and closes last, so no allowed write spoils a later cell.
 */
export const POLICY: readonly Row[] = [
  row("GET /public/config", "anyone, no token needed", everyone),
  row("GET /me", "staff, partners' staff", withPartners),
  row("GET /me/referrals", "staff (the referrals they made), partners' staff (their organisation's)", withPartners),
  row("GET /staff/on-shift", "staff", staff),
  row("GET /me/cases", "staff", staff),
  row("GET /me/transfers", "staff, their own", staff),
  row("GET /queue", "staff", staff),
  row("GET /metrics", "supervisors", supervisors),
  row("PUT /me/shift", "staff", staff),
  row("GET /alerts", "staff (the open crisis alerts they should see: all on shift)", staff),
  row("PUT /me/on-call", "staff, their own", staff),
  // The world's crisis alerts: one the companion answers, one the supervisor does (all staff are on shift).
  row("POST /alerts/:id/acknowledge", "staff who see the alert (on shift; on call once it reached level 2)", staff),
  { route: "POST /alerts/:id/acknowledge", scoped: false, who: "staff who see the alert; once answered, nobody", allow: { companion: 409, supervisor: 409 }, when: "the alert is answered" },
  row("GET /push/config", "staff (what the console subscribes to pushes with)", staff),
  row("GET /partners", "staff", staff),
  row("POST /partners", "supervisors", supervisors),
  row("PUT /partners/:id", "supervisors", supervisors),
  row("DELETE /partners/:id", "supervisors", supervisors),
  row("GET /me/availability", "staff, their own", staff),
  row("POST /me/availability", "staff, their own", staff),
  row("PUT /me/visits-per-day", "staff, their own", staff),
  row("GET /me/appointments", "staff, their own", staff),
  { route: "GET /cases/:id", scoped: false, who: "any companion or supervisor on shift while it waits", allow: staff, when: "the case waits" },
  row("POST /cases/:id/claim", "staff on shift, a waiting case (nobody's yet)", staff),
  scoped("GET /cases/:id", "the assigned companion, any supervisor", [200, 403], 200),
  scoped("GET /cases/:id/appointments", "the assigned companion, any supervisor", [200, 403], 200),
  scoped("POST /cases/:id/appointments", "the assigned companion; a supervisor only when it is assigned to them", [200, 403], [200, 403]),
  scoped("POST /appointments/:id/reschedule", "its companion, any supervisor; someone else's is not found", [200, 404], 200),
  scoped("POST /appointments/:id/cancel", "its companion, any supervisor; someone else's is not found", [200, 404], 200),
  scoped("DELETE /me/availability/:slotId", "its companion; someone else's is not found", [200, 404], [200, 404]),
  scoped("GET /cases/:id/referrals", "the assigned companion, any supervisor", [200, 403], 200),
  scoped("POST /cases/:id/referrals", "the assigned companion; a supervisor only when it is assigned to them", [200, 403], [200, 403]),
  scoped("POST /referrals/:id/complete", "the companion who made it, any supervisor; someone else's is not found", [200, 404], 200),
  // Before any transfer of the world's cases: none concerns anyone, none waits.
  scoped("GET /cases/:id/transfer", "the colleague who offered it, the one it was offered to, any supervisor; none here yet", [404, 404], 404),
  scoped("POST /cases/:id/transfer/accept", "the colleague it is offered to, while it waits; none waits here", [409, 409], 409),
  scoped("POST /cases/:id/transfer/decline", "the colleague it is offered to, while it waits; none waits here", [409, 409], 409),
  scoped("POST /cases/:id/transfer/undo", "the assigned companion, any supervisor, while it waits; none waits here", [409, 403], 409),
  scoped("POST /cases/:id/transfer", "the assigned companion, any supervisor", [200, 403], 200),
  // In the world every victim is still in their room: the homeserver does not confirm a leave, whoever asks.
  scoped("POST /cases/:id/victim-left", "the assigned companion, any supervisor, once the homeserver shows them the victim gone", [409, 403], 409),
  scoped("POST /cases/:id/close", "the assigned companion, any supervisor", [200, 403], 200),
  scoped("GET /cases/:id", "the assigned companion, any supervisor", [200, 403], 200, "the case is closed"),
  // Someone else's case is refused whatever its state: a 409 would tell a colleague it was closed.
  scoped("POST /cases/:id/close", "the assigned companion, any supervisor; then it is closed already", [409, 403], 409, "the case is closed"),
  // Closed already (by the bot, or the same console a moment before): answered as it is.
  scoped("POST /cases/:id/victim-left", "the assigned companion, any supervisor; a closed case is answered as it is", [200, 403], 200, "the case is closed"),
];

/** How a row is named in the test and the document. */
export function rowName(row: Row): string {
  return row.when ? `${row.route} (${row.when})` : row.route;
}
