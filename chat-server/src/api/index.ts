/** Every router of the HTTP API, one per spec area. */
import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { accountDataRoutes } from "./account-data.ts";
import { accountRoutes } from "./account.ts";
import { adminRegisterRoutes } from "./admin-register.ts";
import { contextRoutes } from "./context.ts";
import { dehydratedDeviceRoutes } from "./dehydrated-device.ts";
import { directoryRoutes } from "./directory.ts";
import { discoveryRoutes } from "./discovery.ts";
import { keyBackupRoutes } from "./key-backup.ts";
import { keyRoutes } from "./keys.ts";
import { loginRoutes } from "./login.ts";
import { mediaRoutes } from "./media.ts";
import { profileRoutes } from "./profile.ts";
import { pushRuleRoutes } from "./push-rules.ts";
import { pusherRoutes } from "./pushers.ts";
import { messageRoutes } from "./message.ts";
import { receiptRoutes } from "./receipts.ts";
import { registerRoutes } from "./register.ts";
import { roomRoutes } from "./rooms.ts";
import { visitorEphemeralLimit, visitorSendLimit } from "./send-limit.ts";
import { stateRoutes } from "./state.ts";
import { syncRoutes } from "./sync.ts";
import { toDeviceRoutes } from "./to-device.ts";

export function routers(hs: Homeserver): Hono<AppEnv>[] {
  const sendLimit = visitorSendLimit(hs.config);
  return [
    discoveryRoutes(hs),
    registerRoutes(hs),
    loginRoutes(hs),
    accountRoutes(hs, sendLimit),
    adminRegisterRoutes(hs),
    contextRoutes(hs),
    roomRoutes(hs, sendLimit),
    stateRoutes(hs, sendLimit),
    messageRoutes(hs, sendLimit),
    receiptRoutes(hs, visitorEphemeralLimit(hs.config)),
    syncRoutes(hs),
    keyRoutes(hs, sendLimit),
    keyBackupRoutes(hs, sendLimit),
    toDeviceRoutes(hs, sendLimit),
    dehydratedDeviceRoutes(hs),
    accountDataRoutes(hs, sendLimit),
    profileRoutes(hs),
    directoryRoutes(hs),
    pushRuleRoutes(),
    pusherRoutes(hs),
    mediaRoutes(hs),
  ];
}
