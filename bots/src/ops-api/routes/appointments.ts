/**
 * Appointments (docs/SCHEDULING.md): a companion's availability and agenda,
 * arranging an appointment for a case, and changing or cancelling one.
 * Permission checks live in the scheduler; handlers parse and shape.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { APPOINTMENT_KINDS } from "@onsafe/schema";
import type { Scheduler } from "../../scheduling/scheduler.ts";
import type { OpsEnv } from "../env.ts";
import { caseIdParam, readJson } from "../json.ts";
import { appointmentJson, slotJson } from "../shapes.ts";
import { optionalOneOf, requireInteger } from "@onsafe/matrix-basics";

export function appointmentRoutes(auth: MiddlewareHandler<OpsEnv>, scheduler: Scheduler): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  const { availability } = scheduler;
  const availabilityJson = (userId: string) => ({
    time_zone: scheduler.timeZone,
    visits_per_day: availability.visitsPerDay(userId),
    slots: availability.slots(userId).map(slotJson),
  });

  r.get("/me/availability", auth, (c) => c.json(availabilityJson(c.get("staff").userId)));

  r.post("/me/availability", auth, async (c) => {
    const body = await readJson(c);
    const startsAt = requireInteger(body, "starts_at");
    const endsAt = requireInteger(body, "ends_at");
    const staff = c.get("staff");
    const slot = availability.add(staff, startsAt, endsAt);
    // Victims waiting for other times are offered the new one.
    await scheduler.offerAgain(staff.userId, `slot ${slot.id}`);
    return c.json({ slot: slotJson(slot) });
  });

  r.delete("/me/availability/:slotId", auth, (c) => {
    availability.remove(c.get("staff"), c.req.param("slotId"));
    return c.json({});
  });

  r.put("/me/visits-per-day", auth, async (c) => {
    const visitsPerDay = requireInteger(await readJson(c), "visits_per_day");
    availability.setVisitsPerDay(c.get("staff"), visitsPerDay);
    return c.json(availabilityJson(c.get("staff").userId));
  });

  r.get("/me/appointments", auth, (c) => c.json({ appointments: scheduler.agenda(c.get("staff").userId).map(appointmentJson) }));

  r.get("/cases/:id/appointments", auth, (c) => c.json({ appointments: scheduler.ofCase(caseIdParam(c), c.get("staff")).map(appointmentJson) }));

  r.post("/cases/:id/appointments", auth, async (c) => {
    const id = caseIdParam(c);
    const kind = optionalOneOf(await readJson(c), "kind", APPOINTMENT_KINDS);
    return c.json({ appointment: appointmentJson(await scheduler.request(id, c.get("staff"), kind)) });
  });

  r.post("/appointments/:id/reschedule", auth, async (c) => {
    await readJson(c);
    return c.json({ appointment: appointmentJson(await scheduler.rescheduleByCompanion(c.req.param("id"), c.get("staff"))) });
  });

  r.post("/appointments/:id/cancel", auth, async (c) => {
    await readJson(c);
    return c.json({ appointment: appointmentJson(await scheduler.cancelByCompanion(c.req.param("id"), c.get("staff"))) });
  });
  return r;
}
