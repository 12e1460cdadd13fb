import type { CaseJson } from "@onsafe/schema/ops-api";
import { APPOINTMENT_KINDS, type AppointmentKind } from "@onsafe/schema/scheduling";
import { createSignal } from "solid-js";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";
import { refusal } from "../case/refusal.ts";
import { parseVisitCommand } from "./visit-command.ts";

export interface VisitNotice {
  ok: boolean;
  text: string;
}

/**
 * Asking the scheduling bot for an appointment from a conversation, by the
 * "Arrange a visit" control or `/visit` in the composer: both call
 * `POST cases/{id}/appointments`, and nothing goes into the counselling room.
 */
export function createVisitRequest(ops: OpsClient, caseInfo: () => CaseJson | null) {
  const [notice, setNotice] = createSignal<VisitNotice | null>(null);
  const [working, setWorking] = createSignal(false);

  const arrange = async (kind?: AppointmentKind) => {
    const current = caseInfo();
    if (!current) {
      setNotice({ ok: false, text: ct("visit.noCase") });
      return;
    }
    setWorking(true);
    setNotice(null);
    try {
      const appointment = await ops.arrangeVisit(current.id, kind);
      setNotice({ ok: true, text: ct("visit.arranging", { id: appointment.id }) });
    } catch (caught) {
      setNotice({ ok: false, text: refusal(caught) });
    } finally {
      setWorking(false);
    }
  };

  /** Handles `/visit` typed in the composer: true when it was one (and so must not be sent). */
  const command = (body: string): boolean => {
    const parsed = parseVisitCommand(body);
    if (!parsed) return false;
    if ("help" in parsed) {
      const kinds = APPOINTMENT_KINDS.map((k) => `${k} (${ct(`kind.${k}` as ConsoleKey)})`).join(", ");
      setNotice({ ok: false, text: ct("visit.help", { kinds }) });
    } else {
      void arrange(parsed.kind);
    }
    return true;
  };

  return { arrange, command, notice, working };
}

export type VisitRequest = ReturnType<typeof createVisitRequest>;
