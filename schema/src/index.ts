export * from "./account-kinds.ts";
export * from "./bots/database.ts";
export { botsMigrations } from "./bots/migrations/index.ts";
export * from "./errcodes.ts";
export * from "./events.ts";
export * from "./homeserver/database.ts";
export { homeserverMigrations } from "./homeserver/migrations/index.ts";
export * from "./triage.ts";
export * from "./admin-registration.ts";
