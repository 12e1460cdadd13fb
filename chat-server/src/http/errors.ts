/** The one mapper from thrown values to HTTP responses; the errors themselves are `@onsafe/matrix-basics`'s. */
import type { Context } from "hono";
import { internalErrorLogLine, MatrixError } from "@onsafe/matrix-basics";
import { clientLeftMidBody } from "./body.ts";

/** Maps any thrown value to a Matrix error response; unknown errors become M_UNKNOWN without details. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof MatrixError) return c.json(error.body(), error.status);
  if (clientLeftMidBody(c)) {
    // Not our fault and nobody reads the answer: one quiet line, nothing about the request, no stack.
    console.warn("request body cut off by the client");
    return c.body(null, 400);
  }
  // Never echo internals (they may hold request data) to the client or the log.
  console.error("internal error:", internalErrorLogLine(error));
  return c.json({ errcode: "M_UNKNOWN", error: "Internal server error" }, 500);
}
