/**
 * The SDK's global logger, and the child loggers its modules make from it
 * (e.g. one per room for MatrixRTC, whose lines name the room), kept to
 * errors. Children copy the parent's method factory but set their own level
 * to debug, so the factory is what filters.
 */
import { logger } from "matrix-js-sdk/lib/logger.js";

type LogMethod = (...msg: unknown[]) => void;
type MethodFactory = (method: string, level: number, name: string | symbol) => LogMethod;

export function quietSdkLogging(): void {
  const root = logger as unknown as { methodFactory: MethodFactory; rebuild(): void; setLevel(level: string): void };
  const original = root.methodFactory;
  root.methodFactory = (method, level, name) => (method === "error" ? original(method, level, name) : () => {});
  root.rebuild();
  root.setLevel("error");
}
