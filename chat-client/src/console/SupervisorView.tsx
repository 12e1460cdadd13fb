import type { StaffSession } from "./staff-session.ts";

/** The supervisor view (issue 6): not built yet. */
export function SupervisorView(_props: { session: StaffSession }) {
  return null;
}
