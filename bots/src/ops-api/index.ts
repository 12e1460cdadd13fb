export { createOpsApi, OPS_API_PREFIX, type OpsApiDeps } from "./app.ts";
export { type RunningOpsApi, startOpsApi } from "./server.ts";
export { type TokenResolver, WhoamiResolver } from "./whoami.ts";
