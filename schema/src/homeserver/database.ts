/**
 * Kysely table types of the homeserver database. SQLite stores booleans as 0/1
 * and JSON as text; `stream_pos` columns hold the one global stream position
 * that orders everything a sync returns.
 */
import type { AccountKind } from "../account-kinds.ts";

export interface UsersTable {
  user_id: string;
  localpart: string;
  kind: AccountKind;
  password_hash: string | null;
  displayname: string | null;
  avatar_url: string | null;
  created_ts: number;
  deactivated: number;
  /** Visitors: the last day (since the epoch, UTC) they used the account; null for other kinds. */
  active_day: number | null;
}

export interface DevicesTable {
  user_id: string;
  device_id: string;
  display_name: string | null;
  created_ts: number;
}

/** A user's dehydrated device (MSC3814): at most one; its row in `devices` holds no token. */
export interface DehydratedDevicesTable {
  user_id: string;
  device_id: string;
  /** The client's encrypted pickle, JSON, opaque to the server. */
  device_data: string;
  created_ts: number;
}

export interface AccessTokensTable {
  /** SHA-256 of the token, hex; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  device_id: string;
  created_ts: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface RoomsTable {
  room_id: string;
  creator: string;
  room_version: string;
  created_ts: number;
}

export interface EventsTable {
  stream_pos: number;
  event_id: string;
  room_id: string;
  type: string;
  state_key: string | null;
  sender: string;
  origin_server_ts: number;
  content: string;
  /** The state event this one replaced, for `unsigned.prev_content`. */
  replaces_state: string | null;
  /** The redaction that pruned this event's content, if any. */
  redacted_by: string | null;
  txn_device_id: string | null;
  /** The request a client transaction id belongs to, with the room: `send/{type}` or `redact/{eventId}`. */
  txn_scope: string | null;
  txn_id: string | null;
}

export interface RoomStateTable {
  room_id: string;
  type: string;
  state_key: string;
  event_id: string;
  stream_pos: number;
}

export interface MembershipsTable {
  room_id: string;
  user_id: string;
  membership: string;
  event_id: string;
  stream_pos: number;
  /** First stream position this user may see (history visibility at join/invite). */
  visible_from: number;
  /** Last stream position a former member may see (their leave); null while joined or invited; older rows end at `stream_pos`. */
  visible_to: number | null;
}

export interface ReceiptsTable {
  room_id: string;
  user_id: string;
  receipt_type: string;
  /** "" for unthreaded receipts. */
  thread_id: string;
  event_id: string;
  ts: number;
  stream_pos: number;
}

export interface AccountDataTable {
  user_id: string;
  /** "" for global account data. */
  room_id: string;
  type: string;
  content: string;
  stream_pos: number;
}

export interface ToDeviceTable {
  stream_pos: number;
  user_id: string;
  device_id: string;
  sender: string;
  type: string;
  content: string;
}

export interface ToDeviceTxnsTable {
  user_id: string;
  device_id: string;
  txn_id: string;
  created_ts: number;
}

export interface DeviceKeysTable {
  user_id: string;
  device_id: string;
  /** The signed device keys exactly as uploaded. */
  key_json: string;
}

export interface OneTimeKeysTable {
  user_id: string;
  device_id: string;
  /** "algorithm:id", e.g. "signed_curve25519:AAAAHg". */
  key_id: string;
  algorithm: string;
  key_json: string;
  /** Which upload of the device brought the key: keys are claimed oldest upload first. */
  upload_seq: number;
}

export interface FallbackKeysTable {
  user_id: string;
  device_id: string;
  algorithm: string;
  key_id: string;
  key_json: string;
  used: number;
}

export interface CrossSigningKeysTable {
  user_id: string;
  key_type: "master" | "self_signing" | "user_signing";
  public_key: string;
  key_json: string;
}

export interface KeySignaturesTable {
  target_user_id: string;
  /** A device id, or the public key of a cross-signing key. */
  target_key_id: string;
  signer_user_id: string;
  signer_key_id: string;
  signature: string;
}

export interface DeviceListChangesTable {
  stream_pos: number;
  user_id: string;
  /** Only this user is told (a signature only its signer sees); null: everyone sharing a room. */
  visible_to: string | null;
}

export interface RoomKeyVersionsTable {
  user_id: string;
  version: number;
  algorithm: string;
  auth_data: string;
  etag: number;
  deleted: number;
}

export interface RoomKeysTable {
  user_id: string;
  version: number;
  room_id: string;
  session_id: string;
  key_data: string;
}

export interface MediaTable {
  media_id: string;
  user_id: string;
  content_type: string;
  upload_name: string | null;
  size: number;
  created_ts: number;
}

export interface FiltersTable {
  user_id: string;
  filter_id: number;
  filter_json: string;
}

/** A Matrix pusher (`POST /pushers/set`): one per user, app id and pushkey; deleted with its device. */
export interface PushersTable {
  user_id: string;
  /** The device whose access token set it. */
  device_id: string;
  app_id: string;
  pushkey: string;
  /** Always "http" (the only kind accepted). */
  kind: string;
  /** The pusher's `data`, JSON: the gateway URL, `format`, and the Web Push subscription's endpoint and auth. */
  data: string;
  lang: string;
  device_display_name: string;
  app_display_name: string;
  profile_tag: string | null;
  /** When the pushkey was last set, in ms: sent to the gateway as `pushkey_ts`. */
  pushkey_ts: number;
  created_at: number;
}

export interface HomeserverDatabase {
  users: UsersTable;
  devices: DevicesTable;
  dehydrated_devices: DehydratedDevicesTable;
  access_tokens: AccessTokensTable;
  meta: MetaTable;
  rooms: RoomsTable;
  events: EventsTable;
  room_state: RoomStateTable;
  memberships: MembershipsTable;
  receipts: ReceiptsTable;
  account_data: AccountDataTable;
  to_device: ToDeviceTable;
  to_device_txns: ToDeviceTxnsTable;
  device_keys: DeviceKeysTable;
  one_time_keys: OneTimeKeysTable;
  fallback_keys: FallbackKeysTable;
  cross_signing_keys: CrossSigningKeysTable;
  key_signatures: KeySignaturesTable;
  device_list_changes: DeviceListChangesTable;
  room_key_versions: RoomKeyVersionsTable;
  room_keys: RoomKeysTable;
  media: MediaTable;
  filters: FiltersTable;
  pushers: PushersTable;
}
