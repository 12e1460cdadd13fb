/** `GET cases/{id}` and the staff decisions on a case: claim, transfer, close, and closing a case whose victim left. */
import { Hono, type MiddlewareHandler } from "hono";
import { CASE_OUTCOMES, isOneOf } from "@onsafe/schema";
import type { ReturningCases, StaffCases } from "../../queue/index.ts";
import type { CaseRow } from "../../storage/index.ts";
import type { OpsEnv } from "../env.ts";
import type { RoomMembership } from "../room-membership.ts";
import { caseIdParam, readJson, requireUserId } from "../json.ts";
import { caseJson, handOverJson, transferJson } from "../shapes.ts";
import { invalidParam, requireString } from "@onsafe/matrix-basics";

export function caseRoutes(auth: MiddlewareHandler<OpsEnv>, staffCases: StaffCases, membership: RoomMembership, returning: ReturningCases): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  // Whoever may see a case sees the summary of the earlier one it links to, and nothing more of it.
  const json = (row: CaseRow, entry: Parameters<typeof caseJson>[1] = null) => caseJson(row, entry, returning.previousOf(row));
  const view = (id: string, c: { get(key: "staff"): OpsEnv["Variables"]["staff"] }) => {
    const { c: row, entry } = staffCases.view(id, c.get("staff"));
    return { case: json(row, entry) };
  };

  r.get("/cases/:id", auth, (c) => c.json(view(caseIdParam(c), c)));

  r.get("/me/cases", auth, (c) => c.json({ cases: staffCases.mine(c.get("staff").userId).map((row) => json(row)) }));

  /** Transfers I offered that were accepted in the last day, so my console can finish handing them over. */
  r.get("/me/transfers", auth, (c) => c.json({ transfers: staffCases.handOvers(c.get("staff")).map(({ c: row, offer }) => handOverJson(row, offer)) }));

  r.post("/cases/:id/claim", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    await staffCases.claim(id, c.get("staff"));
    return c.json(view(id, c));
  });

  /** Offers the case to a colleague (docs/SHIFT.md "Transfer"). A note is refused: it goes to the colleague encrypted, never through here. */
  r.post("/cases/:id/transfer", auth, async (c) => {
    const id = caseIdParam(c);
    const body = await readJson(c);
    const to = requireUserId(body, "to");
    if ("note" in body) throw invalidParam("A transfer note goes to the colleague end-to-end encrypted, never through the ops API");
    const { invited, expiresAt } = await staffCases.transfer(id, c.get("staff"), to);
    return c.json({ ...view(id, c), invited, offer_expires_at: expiresAt });
  });

  /** The newest transfer of the case, for the colleague who offered it, the one offered it, or a supervisor. */
  r.get("/cases/:id/transfer", auth, (c) => c.json({ transfer: transferJson(staffCases.latestTransfer(caseIdParam(c), c.get("staff"))) }));

  /** The colleague takes the transferred case; the answer has its room, to join. */
  r.post("/cases/:id/transfer/accept", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    staffCases.acceptTransfer(id, c.get("staff"));
    return c.json(view(id, c));
  });

  /** The colleague says no; they may no longer see the case: answered from the row itself. */
  r.post("/cases/:id/transfer/decline", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    const row = await staffCases.declineTransfer(id, c.get("staff"));
    return c.json({ case: json(row) });
  });

  /** Undo: the transferring companion (or a supervisor) takes the waiting offer back. */
  r.post("/cases/:id/transfer/undo", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    await staffCases.undoTransfer(id, c.get("staff"));
    return c.json(view(id, c));
  });

  r.post("/cases/:id/close", auth, async (c) => {
    const id = caseIdParam(c);
    const outcome = requireString(await readJson(c), "outcome");
    if (!isOneOf(CASE_OUTCOMES, outcome)) throw invalidParam(`'outcome' must be one of ${CASE_OUTCOMES.join(", ")}`);
    const row = await staffCases.close(id, c.get("staff"), outcome);
    return c.json({ case: json(row) });
  });

  /** The console saw the victim leave the room (after the hand-off only it can); the homeserver confirms it, as the caller sees the room. */
  r.post("/cases/:id/victim-left", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    const token = c.get("token");
    const gone = async (row: { roomId: string; visitorId: string }) => {
      const now = await membership.of(token, row.roomId, row.visitorId);
      return now === "leave" || now === "ban";
    };
    const row = await staffCases.victimLeft(id, c.get("staff"), gone);
    return c.json({ case: json(row) });
  });
  return r;
}
