/** `GET cases/{id}` and the staff decisions on a case: claim, transfer, close, and closing a case whose victim left. */
import { Hono, type MiddlewareHandler } from "hono";
import { CASE_OUTCOMES, isOneOf } from "@onsafe/schema";
import type { StaffCases } from "../../queue/index.ts";
import type { OpsEnv } from "../env.ts";
import { invalidParam } from "../errors.ts";
import type { RoomMembership } from "../room-membership.ts";
import { caseIdParam, optionalString, readJson, requireString, requireUserId } from "../json.ts";
import { caseJson } from "../shapes.ts";

/** A transfer note is staff text for the room; it is checked, never stored. */
export const MAX_NOTE_LENGTH = 4000;

export function caseRoutes(auth: MiddlewareHandler<OpsEnv>, staffCases: StaffCases, membership: RoomMembership): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  const view = (id: string, c: { get(key: "staff"): OpsEnv["Variables"]["staff"] }) => {
    const { c: row, entry } = staffCases.view(id, c.get("staff"));
    return { case: caseJson(row, entry) };
  };

  r.get("/cases/:id", auth, (c) => c.json(view(caseIdParam(c), c)));

  r.get("/me/cases", auth, (c) => c.json({ cases: staffCases.mine(c.get("staff").userId).map((row) => caseJson(row, null)) }));

  r.post("/cases/:id/claim", auth, async (c) => {
    const id = caseIdParam(c);
    await readJson(c);
    await staffCases.claim(id, c.get("staff"));
    return c.json(view(id, c));
  });

  r.post("/cases/:id/transfer", auth, async (c) => {
    const id = caseIdParam(c);
    const body = await readJson(c);
    const to = requireUserId(body, "to");
    optionalString(body, "note", MAX_NOTE_LENGTH);
    const { c: row, invited } = await staffCases.transfer(id, c.get("staff"), to);
    // The caller may no longer see the case once it moved: answer from the row itself.
    return c.json({ case: caseJson(row, null), invited });
  });

  r.post("/cases/:id/close", auth, async (c) => {
    const id = caseIdParam(c);
    const outcome = requireString(await readJson(c), "outcome");
    if (!isOneOf(CASE_OUTCOMES, outcome)) throw invalidParam(`'outcome' must be one of ${CASE_OUTCOMES.join(", ")}`);
    const row = await staffCases.close(id, c.get("staff"), outcome);
    return c.json({ case: caseJson(row, null) });
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
    return c.json({ case: caseJson(row, null) });
  });
  return r;
}
