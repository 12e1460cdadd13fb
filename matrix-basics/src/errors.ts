/**
 * Errors are values with a Matrix errcode (Client-Server API, "Standard
 * error response"). Services and storage of the homeserver, and the ops API,
 * throw these; each service's HTTP layer has the one mapper to a response.
 * Nothing here knows HTTP frameworks: the status is the number the spec pairs
 * with the errcode.
 */
import type { Errcode, MatrixErrorBody } from "@onsafe/schema";

/** The statuses our errors answer with (all carry a JSON body). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 429 | 500 | 502 | 503;

export class MatrixError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly errcode: Errcode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): MatrixErrorBody {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export const badJson = (message: string) => new MatrixError(400, "M_BAD_JSON", message);
export const notJson = (message = "Content not JSON.") => new MatrixError(400, "M_NOT_JSON", message);
export const invalidParam = (message: string) => new MatrixError(400, "M_INVALID_PARAM", message);
export const missingParam = (message: string) => new MatrixError(400, "M_MISSING_PARAM", message);
export const forbidden = (message: string) => new MatrixError(403, "M_FORBIDDEN", message);
export const notFound = (message: string) => new MatrixError(404, "M_NOT_FOUND", message);
export const unrecognized = () => new MatrixError(404, "M_UNRECOGNIZED", "Unrecognized request");
/** The thing is not in a state that allows this (already assigned, closed, …). */
export const badState = (message: string) => new MatrixError(409, "M_BAD_STATE", message);
export const tooLarge = (message: string) => new MatrixError(413, "M_TOO_LARGE", message);
export const limitExceeded = (retryAfterMs: number) =>
  new MatrixError(429, "M_LIMIT_EXCEEDED", "Too many requests", { retry_after_ms: retryAfterMs });

/** What is written to the log for an unexpected error: never its message, which may hold request data. */
export function internalErrorLogLine(error: unknown): string {
  return error instanceof Error ? (error.stack?.split("\n").slice(0, 4).join("\n") ?? error.name) : typeof error;
}
