/** Settings from the environment, read the same way by every part (DESIGN.md "Running it"). */

/** A non-negative integer setting; `fallback` when unset or empty. */
export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** The public (homeserver) port, and the bots service's own port beside it. */
export function servicePorts(env: NodeJS.ProcessEnv): { public: number; bots: number } {
  const publicPort = envInt(env, "ONSAFE_PORT", 8008);
  return { public: publicPort, bots: envInt(env, "ONSAFE_BOTS_PORT", publicPort + 1) };
}
