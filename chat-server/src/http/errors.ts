/** The one mapper from thrown values to HTTP responses; the errors themselves are `@onsafe/matrix-basics`'s. */
import type { Context } from "hono";
import { internalErrorLogLine, MatrixError } from "@onsafe/matrix-basics";

/** Maps any thrown value to a Matrix error response; unknown errors become M_UNKNOWN without details. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof MatrixError) return c.json(error.body(), error.status);
  // Never echo internals (they may hold request data) to the client or the log.
  console.error("internal error:", internalErrorLogLine(error));
  return c.json({ errcode: "M_UNKNOWN", error: "Internal server error" }, 500);
}
