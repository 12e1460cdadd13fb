import { createECDH, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isPrivateAddress, webPushSubscriptionProblem } from "./web-push.ts";

/** A real subscription's key: an uncompressed P-256 public key. */
const p256dh = () => createECDH("prime256v1").generateKeys().toString("base64url");
const good = { pushkey: p256dh(), auth: randomBytes(16).toString("base64url"), endpoint: "https://fcm.googleapis.com/fcm/send/abc:def" };
const strict = { allowPrivate: false };

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255",
    "169.254.169.254", "0.0.0.0", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "0:0:0:0:0:ffff:c0a8:101",
  ])("%s is private", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "fec0::1", "not-an-ip"])("%s is not", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe("webPushSubscriptionProblem", () => {
  it("passes a real subscription to a public push service", () => {
    expect(webPushSubscriptionProblem(good, strict)).toBeNull();
    expect(webPushSubscriptionProblem({ ...good, endpoint: "https://updates.push.services.mozilla.com/wpush/v2/gAAAA" }, strict)).toBeNull();
  });

  it.each([
    ["a pushkey of 64 bytes", { pushkey: randomBytes(64).toString("base64url") }, /pushkey/],
    ["a compressed point", { pushkey: Buffer.concat([Buffer.from([2]), randomBytes(64)]).toString("base64url") }, /pushkey/],
    ["a pushkey with other characters", { pushkey: `${good.pushkey.slice(0, -1)}*` }, /pushkey/],
    ["an auth of 15 bytes", { auth: randomBytes(15).toString("base64url") }, /auth/],
    ["an auth that is not base64url", { auth: "a b c d e f g h i j k" }, /auth/],
    ["an http endpoint", { endpoint: "http://fcm.googleapis.com/fcm/send/x" }, /https/],
    ["not a URL", { endpoint: "fcm.googleapis.com" }, /URL/],
    ["a long endpoint", { endpoint: `https://push.example/${"a".repeat(1024)}` }, /1024/],
    ["credentials", { endpoint: "https://u:p@push.example/x" }, /password/],
    ["localhost", { endpoint: "https://localhost:8443/push" }, /public/],
    ["a .localhost name", { endpoint: "https://push.localhost./x" }, /public/],
    ["loopback", { endpoint: "https://127.0.0.1/x" }, /public/],
    ["loopback in hex", { endpoint: "https://0x7f000001/x" }, /public/],
    ["loopback as one number", { endpoint: "https://2130706433/x" }, /public/],
    ["a private address", { endpoint: "https://192.168.0.10/x" }, /public/],
    ["carrier-grade NAT", { endpoint: "https://100.64.1.1/x" }, /public/],
    ["the metadata address", { endpoint: "https://169.254.169.254/latest" }, /public/],
    ["IPv6 loopback", { endpoint: "https://[::1]:8443/x" }, /public/],
    ["IPv4-mapped loopback", { endpoint: "https://[::ffff:127.0.0.1]/x" }, /public/],
    ["a unique local address", { endpoint: "https://[fd00::5]/x" }, /public/],
    ["unspecified", { endpoint: "https://0.0.0.0/x" }, /public/],
  ])("refuses %s", (_name, change, message) => {
    expect(webPushSubscriptionProblem({ ...good, ...change }, strict)).toMatch(message);
  });

  it("allows loopback and private endpoints only in the test mode, and https even then", () => {
    expect(webPushSubscriptionProblem({ ...good, endpoint: "https://127.0.0.1:9443/push" }, { allowPrivate: true })).toBeNull();
    expect(webPushSubscriptionProblem({ ...good, endpoint: "https://localhost/push" }, { allowPrivate: true })).toBeNull();
    expect(webPushSubscriptionProblem({ ...good, endpoint: "http://127.0.0.1:9443/push" }, { allowPrivate: true })).toMatch(/https/);
  });
});
