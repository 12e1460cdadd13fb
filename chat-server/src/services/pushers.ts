/**
 * Matrix pushers (`POST /pushers/set`, `GET /pushers`), for one purpose: a
 * companion's or supervisor's console asks for crisis pages on its device
 * through our push gateway (docs/CRISIS.md "Push"). So only that gateway, that
 * app id and a Web Push subscription to a public push service are accepted;
 * anything else is refused before anything changes.
 *
 * Also keeps, in memory, who may have a pusher, so that delivery costs a set
 * lookup for everyone else (services/push/delivery.ts).
 */
import { type PushersTable, WEB_PUSH_APP_ID } from "@onsafe/schema";
import { webPushSubscriptionProblem } from "@onsafe/schema/web-push";
import type { Store } from "../storage/database.ts";
import { PushersStore } from "../storage/pushers.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import {
  forbidden, invalidParam, type JsonObject, MatrixError, missingParam, optionalBoolean, optionalString, requireObject, requireString,
} from "@onsafe/matrix-basics";

/** A browser or two per person, each set again after a new subscription: ample. */
export const MAX_PUSHERS_PER_ACCOUNT = 10;
/** The spec's bounds. */
const MAX_APP_ID = 64;
const MAX_PUSHKEY_BYTES = 512;
/** Our own bounds on the names a client gives (the spec sets none). */
const MAX_NAME = 256;
const MAX_LANG = 64;

export interface PusherSettings {
  /** The push gateway every pusher must name (`ONSAFE_PUSH_GATEWAY_URL`). */
  gatewayUrl: string;
  /** The test mode (`ONSAFE_PUSH_ALLOW_PRIVATE_ENDPOINTS=1`): push services on loopback or private addresses. */
  allowPrivateEndpoints: boolean;
}

/** A pusher as `GET /pushers` shows it (spec: "Pusher"). */
export interface PusherJson {
  pushkey: string;
  kind: string;
  app_id: string;
  app_display_name: string;
  device_display_name: string;
  profile_tag?: string;
  lang: string;
  data: JsonObject;
}

export class Pushers {
  private readonly rows: PushersStore;
  /** Users who may have a pusher: a superset, trimmed when delivery finds none (`forDelivery`). */
  private readonly users: Set<string>;

  constructor(store: Store, private readonly writer: Writer, readonly settings: PusherSettings) {
    this.rows = new PushersStore(store);
    this.users = new Set(this.rows.userIds());
  }

  /** Whether the user may have a pusher; false means certainly none. */
  mayHave(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Whether anyone may have a pusher. */
  get any(): boolean {
    return this.users.size > 0;
  }

  list(session: Session): PusherJson[] {
    requireStaff(session);
    return this.rows.of(session.userId).map(toJson);
  }

  /** `POST /pushers/set`: creates, replaces or (kind null) deletes one of the caller's pushers. */
  async set(session: Session, body: JsonObject): Promise<void> {
    requireStaff(session);
    const appId = requireString(body, "app_id");
    const pushkey = requireString(body, "pushkey");
    if (appId.length > MAX_APP_ID) throw invalidParam(`'app_id' is longer than ${MAX_APP_ID} characters`);
    if (Buffer.byteLength(pushkey) > MAX_PUSHKEY_BYTES) throw invalidParam(`'pushkey' is longer than ${MAX_PUSHKEY_BYTES} bytes`);
    if (!("kind" in body)) throw missingParam("Missing 'kind'");
    if (body.kind === null) {
      await this.writer.write(() => this.rows.delete(session.userId, appId, pushkey));
      return;
    }
    if (body.kind !== "http") throw invalidParam("'kind' must be \"http\", or null to delete the pusher");
    const row = this.checked(session, appId, pushkey, body);
    const append = optionalBoolean(body, "append") ?? false;
    await this.writer.write(() => {
      if (!this.rows.has(session.userId, appId, pushkey) && this.rows.countOf(session.userId) >= MAX_PUSHERS_PER_ACCOUNT) {
        throw new MatrixError(400, "M_LIMIT_EXCEEDED", `An account may have at most ${MAX_PUSHERS_PER_ACCOUNT} pushers: remove one first`);
      }
      if (!append) this.rows.deleteOthersWithKey(session.userId, appId, pushkey);
      this.rows.upsert(row);
      this.users.add(session.userId);
    });
  }

  /** The user's pushers, to deliver to; forgets the user when there are none. */
  forDelivery(userId: string): PushersTable[] {
    const pushers = this.rows.of(userId);
    if (pushers.length === 0) this.users.delete(userId);
    return pushers;
  }

  /** The gateway rejected the pushkey (`rejected`): the subscription is gone, so is the pusher. */
  async rejected(userId: string, appId: string, pushkey: string): Promise<void> {
    await this.writer.write(() => this.rows.delete(userId, appId, pushkey));
  }

  private checked(session: Session, appId: string, pushkey: string, body: JsonObject): PushersTable {
    if (appId !== WEB_PUSH_APP_ID) throw invalidParam(`'app_id' must be ${WEB_PUSH_APP_ID}`);
    const name = (key: string, max: number) => {
      const value = requireString(body, key);
      if (value.length > max) throw invalidParam(`'${key}' is longer than ${max} characters`);
      return value;
    };
    const appDisplayName = name("app_display_name", MAX_NAME);
    const deviceDisplayName = name("device_display_name", MAX_NAME);
    const lang = name("lang", MAX_LANG);
    const profileTag = optionalString(body, "profile_tag", MAX_NAME) ?? null;
    const data = requireObject(body, "data");
    const url = requireString(data, "url");
    if (url !== this.settings.gatewayUrl) throw invalidParam(`'data.url' must be this server's push gateway, ${this.settings.gatewayUrl}`);
    const format = optionalString(data, "format");
    if (format !== undefined && format !== "event_id_only") throw invalidParam("'data.format' must be \"event_id_only\" or absent");
    const endpoint = requireString(data, "endpoint");
    const auth = requireString(data, "auth");
    const problem = webPushSubscriptionProblem({ pushkey, endpoint, auth }, { allowPrivate: this.settings.allowPrivateEndpoints });
    if (problem) throw invalidParam(problem);
    const now = Date.now();
    // Only what the gateway needs is kept (and later sent to it): nothing else a client put in `data`.
    const kept: JsonObject = { url, ...(format ? { format } : {}), endpoint, auth };
    return {
      user_id: session.userId, device_id: session.deviceId, app_id: appId, pushkey, kind: "http", data: JSON.stringify(kept),
      lang, device_display_name: deviceDisplayName, app_display_name: appDisplayName, profile_tag: profileTag, pushkey_ts: now, created_at: now,
    };
  }
}

/** Pushers are for staff who answer crises; a victim's device must never show a notification from us. */
function requireStaff(session: Session): void {
  if (session.kind !== "companion" && session.kind !== "supervisor") {
    throw forbidden("Pushers are only for companions' and supervisors' consoles");
  }
}

function toJson(row: PushersTable): PusherJson {
  return {
    pushkey: row.pushkey, kind: row.kind, app_id: row.app_id, app_display_name: row.app_display_name,
    device_display_name: row.device_display_name, ...(row.profile_tag !== null ? { profile_tag: row.profile_tag } : {}),
    lang: row.lang, data: JSON.parse(row.data) as JsonObject,
  };
}
