/** Settings from the environment, read the same way by every part (DESIGN.md "Running it"). */

/**
 * An integer setting of at least `min` (0 unless given); `fallback` when unset
 * or empty. Anything else stops the start with the setting's name.
 */
export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(min === 0 ? `${name} must be a non-negative integer` : `${name} must be an integer of at least ${min}`);
  }
  return value;
}

/** The public (homeserver) port, and the bots service's own port beside it. */
export function servicePorts(env: NodeJS.ProcessEnv): { public: number; bots: number } {
  const publicPort = envInt(env, "ONSAFE_PORT", 8008);
  return { public: publicPort, bots: envInt(env, "ONSAFE_BOTS_PORT", publicPort + 1) };
}
