/**
 * Server-side key backup: `/room_keys/version[/{version}]` and `/room_keys/keys[/{roomId}[/{sessionId}]]`.
 * Every write (a version created, changed or deleted; keys stored or deleted) spends a visitor's send budget (`sendLimit`).
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import type { SendLimit } from "./send-limit.ts";
import { type KeysByRoom, validateKeyData } from "../services/key-backup.ts";
import { badJson, invalidParam, isObject, missingParam, notFound, requireObject, requireString } from "@onsafe/matrix-basics";

const V = "/_matrix/client/v3/room_keys";

export function keyBackupRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });
  const user = (c: Context<AppEnv>) => c.get("session").userId;
  const versionParam = (c: Context<AppEnv>) => {
    const version = c.req.query("version");
    if (!version) throw missingParam("Missing 'version'");
    return version;
  };

  r.get(`${V}/version`, (c) => c.json(hs.keyBackup.getVersion(user(c))));
  r.get(`${V}/version/:version`, (c) => c.json(hs.keyBackup.getVersion(user(c), c.req.param("version"))));
  r.post(`${V}/version`, async (c) => {
    sendLimit(c.get("session"));
    const body = await readJson(c);
    return c.json({ version: await hs.keyBackup.createVersion(user(c), requireString(body, "algorithm"), requireObject(body, "auth_data")) });
  });
  r.put(`${V}/version/:version`, async (c) => {
    sendLimit(c.get("session"));
    const body = await readJson(c);
    if (body.version !== undefined && body.version !== c.req.param("version")) throw invalidParam("'version' does not match the path");
    await hs.keyBackup.updateVersion(user(c), c.req.param("version"), requireString(body, "algorithm"), requireObject(body, "auth_data"));
    return c.json({});
  });
  r.delete(`${V}/version/:version`, async (c) => {
    sendLimit(c.get("session"));
    await hs.keyBackup.deleteVersion(user(c), c.req.param("version"));
    return c.json({});
  });

  // The budget is spent before the body is read (`spend` runs first), so a refused upload reads and stores nothing.
  const spend = (c: Context<AppEnv>) => { sendLimit(c.get("session")); return c; };
  // A visitor's backup holds at most ONSAFE_VISITOR_BACKUP_MAX_KEYS keys; staff keep every conversation's.
  const maxKeys = (c: Context<AppEnv>) => (c.get("session").kind === "visitor" ? hs.config.visitorBackupMaxKeys : undefined);
  const put = async (c: Context<AppEnv>, keys: KeysByRoom) => c.json(await hs.keyBackup.putKeys(user(c), versionParam(c), keys, maxKeys(c)));
  r.put(`${V}/keys`, async (c) => put(spend(c), roomsFrom(requireObject(await readJson(c), "rooms"))));
  r.put(`${V}/keys/:roomId`, async (c) => put(spend(c), { [c.req.param("roomId")]: sessionsFrom(requireObject(await readJson(c), "sessions")) }));
  r.put(`${V}/keys/:roomId/:sessionId`, async (c) => put(spend(c), { [c.req.param("roomId")]: { [c.req.param("sessionId")]: validateKeyData(await readJson(c)) } }));

  r.get(`${V}/keys`, (c) => c.json({ rooms: toRooms(hs.keyBackup.getKeys(user(c), versionParam(c))) }));
  r.get(`${V}/keys/:roomId`, (c) => c.json({ sessions: hs.keyBackup.getKeys(user(c), versionParam(c), c.req.param("roomId"))[c.req.param("roomId")] ?? {} }));
  r.get(`${V}/keys/:roomId/:sessionId`, (c) => {
    const key = hs.keyBackup.getKeys(user(c), versionParam(c), c.req.param("roomId"), c.req.param("sessionId"))[c.req.param("roomId")]?.[c.req.param("sessionId")];
    if (!key) throw notFound("Key not found");
    return c.json(key);
  });

  r.delete(`${V}/keys`, async (c) => c.json(await hs.keyBackup.deleteKeys(user(spend(c)), versionParam(c))));
  r.delete(`${V}/keys/:roomId`, async (c) => c.json(await hs.keyBackup.deleteKeys(user(spend(c)), versionParam(c), c.req.param("roomId"))));
  r.delete(`${V}/keys/:roomId/:sessionId`, async (c) => c.json(await hs.keyBackup.deleteKeys(user(spend(c)), versionParam(c), c.req.param("roomId"), c.req.param("sessionId"))));
  return r;
}

function sessionsFrom(sessions: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [sessionId, data] of Object.entries(sessions)) out[sessionId] = validateKeyData(data);
  return out;
}

function roomsFrom(rooms: Record<string, unknown>): KeysByRoom {
  const out: KeysByRoom = {};
  for (const [roomId, room] of Object.entries(rooms)) {
    if (!isObject(room) || !isObject(room.sessions)) throw badJson("Each room needs 'sessions'");
    out[roomId] = sessionsFrom(room.sessions);
  }
  return out;
}

function toRooms(keys: KeysByRoom) {
  return Object.fromEntries(Object.entries(keys).map(([roomId, sessions]) => [roomId, { sessions }]));
}
