/**
 * The ground floor both services stand on: Matrix errors with errcodes,
 * identifier grammar, and JSON bodies read with limits. It knows no HTTP
 * framework, no database and no SDK (docs/ARCHITECTURE.md).
 */
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./json.ts";
