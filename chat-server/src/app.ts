/**
 * The HTTP application: CORS, authentication, body limits, one router per
 * spec area, JSON 404s and the one error mapper, then the web app at `/`.
 * No request logging: client addresses and user agents are never written
 * anywhere.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { requireAuth } from "./http/auth.ts";
import { closeIfBodyUnread, limitBody } from "./http/body.ts";
import { clientAddresses } from "./http/client-address.ts";
import { paceRefusals } from "./http/refusal-pacing.ts";
import { anyOriginCors } from "./http/cors.ts";
import { clientApp } from "./http/client-app.ts";
import type { AppEnv } from "./http/env.ts";
import { errorResponse } from "./http/errors.ts";
import { routeMatcher, routeMethods } from "./http/known-routes.ts";
import { onsafeProxy } from "./http/onsafe-proxy.ts";
import type { Homeserver } from "./services/homeserver.ts";
import { routers } from "./api/index.ts";
import { unrecognized } from "@onsafe/matrix-basics";

/** Client-Server paths reachable without an access token. */
const PUBLIC_PATHS = [
  /^\/_matrix\/client\/versions$/,
  /^\/_matrix\/client\/v3\/login$/,
  /^\/_matrix\/client\/v3\/register(\/available)?$/,
];

export function createApp(hs: Homeserver): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", closeIfBodyUnread);
  // A refusal a script would simply repeat (429, 413, a missing or unknown token) is answered after a pause,
  // so asking again at once cannot spin the server (http/refusal-pacing.ts).
  app.use("*", paceRefusals(hs.config.refusalDelayMs));
  // The key of the per-address limits: X-Forwarded-For only from ONSAFE_TRUSTED_PROXIES.
  app.use("*", clientAddresses(hs.config.trustedProxies));
  app.use("/_matrix/*", anyOriginCors({
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-Requested-With", "Accept"],
    maxAge: 86400,
  }));
  app.use("/_synapse/*", anyOriginCors());

  const auth = requireAuth(hs.accounts, hs.activity);
  // Filled in once every router is mounted (below).
  let isKnown: (method: string, path: string) => boolean = () => true;
  let methodsAt: (path: string) => string[] = () => [];
  const gate: MiddlewareHandler<AppEnv> = async (c, next) => {
    const path = c.req.path.replace(/\/+$/, "");
    if (c.req.method === "OPTIONS") return next();
    if (!isKnown(c.req.method, path)) {
      // The spec's M_UNRECOGNIZED is 405 for a known endpoint called with the wrong method.
      const allowed = methodsAt(path);
      if (allowed.length) return c.json(unrecognized().body(), 405, { Allow: allowed.join(", ") });
      return c.json(unrecognized().body(), 404);
    }
    if (PUBLIC_PATHS.some((p) => p.test(path))) return next();
    return auth(c, next);
  };
  app.use("/_matrix/client/*", gate);
  app.use("/_matrix/media/*", gate);

  // After the gate: a request refused for its token or route is answered
  // without its body being read or buffered (closeIfBodyUnread closes the connection).
  const isUpload = (path: string) => path.startsWith("/_matrix/media/") && path.includes("/upload");
  const limit = limitBody((path) => isUpload(path) ? hs.config.maxUploadBytes : hs.config.maxJsonBytes, isUpload, hs.config.bodyTimeoutMs);
  app.use("*", async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "OPTIONS" || c.req.method === "HEAD") return next();
    return limit(c, next);
  });

  for (const router of routers(hs)) app.route("/", router);
  app.all("/_onsafe/*", onsafeProxy(hs.config.botsUrl));
  isKnown = routeMatcher(app.routes);
  methodsAt = routeMethods(app.routes);
  // Last: the web app answers only paths no API route took.
  app.all("*", clientApp(hs.config.clientDir));

  app.notFound((c) => c.json(unrecognized().body(), 404));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
