/** Errors are values with a Matrix errcode; `errorResponse` is the one mapper to HTTP. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Errcode, MatrixErrorBody } from "@onsafe/schema";

export class MatrixError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly errcode: Errcode, message: string) {
    super(message);
  }

  body(): MatrixErrorBody {
    return { errcode: this.errcode, error: this.message };
  }
}

export const badJson = (message: string) => new MatrixError(400, "M_BAD_JSON", message);
export const invalidParam = (message: string) => new MatrixError(400, "M_INVALID_PARAM", message);
export const missingParam = (message: string) => new MatrixError(400, "M_MISSING_PARAM", message);
export const forbidden = (message: string) => new MatrixError(403, "M_FORBIDDEN", message);
export const notFound = (message: string) => new MatrixError(404, "M_NOT_FOUND", message);
/** The case is not in a state that allows this (already assigned, closed, …). */
export const badState = (message: string) => new MatrixError(409, "M_BAD_STATE", message);
export const unrecognized = () => new MatrixError(404, "M_UNRECOGNIZED", "Unrecognized request");

/** Maps any thrown value to a Matrix error response; unknown errors become M_UNKNOWN without details. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof MatrixError) return c.json(error.body(), error.status);
  // Never echo internals (they may hold request data) to the client or the log.
  console.error("ops api: internal error:", error instanceof Error ? error.stack?.split("\n").slice(0, 4).join("\n") : typeof error);
  return c.json({ errcode: "M_UNKNOWN", error: "Internal server error" }, 500);
}
