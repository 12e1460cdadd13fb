/**
 * The ops API routes only the supervisor view calls (docs/OPS-API.md): `GET metrics`
 * and `POST cases/{id}/transfer`, with the staff member's Matrix token.
 */
import type { CaseJson, MetricsJson } from "@onsafe/schema/ops-api";

/** A refusal from the ops API: its `errcode` and human text. */
export class SupervisorOpsError extends Error {
  constructor(readonly status: number, readonly errcode: string, message: string) {
    super(message);
  }
}

export interface TransferJson {
  case: CaseJson;
  /** True when the bot invited the new companion; false when someone in the room must. */
  invited: boolean;
}

export class SupervisorOps {
  constructor(private readonly accessToken: string) {}

  metrics(): Promise<MetricsJson> {
    return this.call("GET", "/metrics");
  }

  transfer(caseId: string, to: string): Promise<TransferJson> {
    return this.call("POST", `/cases/${encodeURIComponent(caseId)}/transfer`, { to });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`/_onsafe/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.accessToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as { errcode?: string; error?: string };
    if (!response.ok) throw new SupervisorOpsError(response.status, json.errcode ?? "M_UNKNOWN", json.error ?? `HTTP ${response.status}`);
    return json as T;
  }
}
