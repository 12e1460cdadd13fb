import { describe, expect, it } from "vitest";
import { decodeRecoveryCode, derivePassword, deriveSecretStorageKey, encodeRecoveryCode, newSecret } from "./recovery-code.ts";

describe("recovery code", () => {
  it("round-trips the account and secret, forgiving case, spaces and missing dashes", () => {
    const secret = newSecret();
    const code = encodeRecoveryCode("@v-abcdefghjkmn:localhost", secret);
    expect(code).toMatch(/^([a-z2-9]{4}-){8}[a-z2-9]{4}$/);
    expect(decodeRecoveryCode(code)).toEqual({ localpart: "v-abcdefghjkmn", secret });
    expect(decodeRecoveryCode(` ${code.toUpperCase().replace(/-/g, " ")} `)).toEqual({ localpart: "v-abcdefghjkmn", secret });
  });

  it("refuses what is not a code", () => {
    const code = encodeRecoveryCode("@v-abcdefghjkmn:localhost", newSecret());
    expect(decodeRecoveryCode(code.slice(0, -1))).toBeNull();
    expect(decodeRecoveryCode(`${code}a`)).toBeNull();
    expect(decodeRecoveryCode(code.replace(/^./, "0"))).toBeNull(); // 0 is not in the alphabet
    expect(decodeRecoveryCode("")).toBeNull();
    expect(() => encodeRecoveryCode("@mina:localhost", newSecret())).toThrow();
  });

  it("makes 120-bit secrets that differ every time", () => {
    const secrets = new Set(Array.from({ length: 200 }, newSecret));
    expect(secrets.size).toBe(200);
    for (const s of secrets) expect(s).toMatch(/^[a-km-np-z2-9]{24}$/);
  });

  it("derives a password and a secret-storage key that are independent and stable", async () => {
    const secret = newSecret();
    const password = await derivePassword(secret);
    const key = await deriveSecretStorageKey(secret);
    expect(await derivePassword(secret)).toBe(password);
    expect(Array.from(await deriveSecretStorageKey(secret))).toEqual(Array.from(key));
    expect(key).toHaveLength(32);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(btoa(String.fromCharCode(...key))).not.toContain(password.slice(0, 20));
    expect(await derivePassword(newSecret())).not.toBe(password);
  });
});
