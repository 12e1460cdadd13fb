import { describe, expect, it } from "vitest";
import { expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const otks = (from: number, n: number, size = 43) => Object.fromEntries(Array.from({ length: n }, (_, i) =>
  [`signed_curve25519:K${from + i}`, { key: "k".repeat(size), signatures: {} }]));

/** Issue 21, finding 2: any number of one-time keys, of any size, were kept per device. */
describe("one-time keys per device", () => {
  const env = serverWithAccounts({});
  const upload = (token: string, body: unknown) => env.server.request("POST", "/_matrix/client/v3/keys/upload", { token, body });
  const keysOf = (deviceId: string) => (env.server.hs.store.sqlite.prepare("select count(*) n from one_time_keys where device_id = ?").get(deviceId) as { n: number }).n;

  it("keeps at most ONSAFE_MAX_ONE_TIME_KEYS_PER_DEVICE (200): an upload past it gets 413 M_TOO_LARGE and stores none of its keys", async () => {
    const visitor = await env.server.registerVisitor();
    // matrix-js-sdk keeps 50 published; uploading them again (a retry) counts nothing twice.
    expect((await upload(visitor.token, { one_time_keys: otks(0, 50) })).body.one_time_key_counts).toEqual({ signed_curve25519: 50 });
    expect((await upload(visitor.token, { one_time_keys: otks(0, 50) })).status).toBe(200);
    expect((await upload(visitor.token, { one_time_keys: otks(50, 150) })).body.one_time_key_counts).toEqual({ signed_curve25519: 200 });
    expectError(await upload(visitor.token, { one_time_keys: otks(200, 1) }), 413, "M_TOO_LARGE");
    expect(keysOf(visitor.deviceId)).toBe(200);
  });

  it("keeps fallback keys for at most 10 algorithms per device (a client has one, signed_curve25519)", async () => {
    const visitor = await env.server.registerVisitor();
    const fallbacks = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`alg${from + i}:F`, { key: "f", fallback: true, signatures: {} }]));
    expect((await upload(visitor.token, { fallback_keys: fallbacks(0, 10) })).status).toBe(200);
    expectError(await upload(visitor.token, { fallback_keys: fallbacks(10, 1) }), 413, "M_TOO_LARGE");
    // Replacing the key of an algorithm it has is always allowed.
    expect((await upload(visitor.token, { fallback_keys: { "alg3:G": { key: "g", fallback: true, signatures: {} } } })).status).toBe(200);
    expect((env.server.hs.store.sqlite.prepare("select count(*) n from fallback_keys where device_id = ?").get(visitor.deviceId) as { n: number }).n).toBe(10);
  });

  it("refuses a one-time key over 4 KiB with 413 M_TOO_LARGE", async () => {
    const visitor = await env.server.registerVisitor();
    expectError(await upload(visitor.token, { one_time_keys: otks(0, 1, 5000) }), 413, "M_TOO_LARGE");
    expect(keysOf(visitor.deviceId)).toBe(0);
  });
});
