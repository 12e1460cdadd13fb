/** Server discovery and capabilities: `/versions`, `.well-known`, `/capabilities` and small client probes. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { maySetProfile } from "../services/policy.ts";
import { ROOM_VERSION } from "../services/rooms.ts";

export const SPEC_VERSIONS = ["v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"];

export function discoveryRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  r.get("/_matrix/client/versions", (c) => c.json({ versions: SPEC_VERSIONS, unstable_features: {} }));
  r.get("/.well-known/matrix/client", (c) => {
    c.header("Access-Control-Allow-Origin", "*");
    return c.json({ "m.homeserver": { base_url: hs.config.publicBaseUrl } });
  });
  r.get("/_matrix/client/v3/capabilities", (c) => {
    // Per account: clients then hide the profile fields a visitor could not save anyway.
    const profile = maySetProfile(c.get("session").kind);
    return c.json({
      capabilities: {
        "m.change_password": { enabled: true },
        "m.room_versions": { default: ROOM_VERSION, available: { [ROOM_VERSION]: "stable" } },
        "m.set_displayname": { enabled: profile },
        "m.set_avatar_url": { enabled: profile },
        "m.3pid_changes": { enabled: false },
        "m.get_login_token": { enabled: false },
      },
    });
  });
  r.get("/_matrix/client/v3/voip/turnServer", (c) => c.json({}));
  r.get("/_matrix/client/v3/thirdparty/protocols", (c) => c.json({}));
  return r;
}
