/**
 * Media and the server's memory (issue 21, finding 3), measured as
 * `slow-bodies.test.ts` does: the resident set of a child-process server,
 * sampled while the attack runs. The review saw 12 slow downloads of a 40 MiB
 * file take the server from 246 to 725 MiB (each held the whole file), and one
 * visitor upload 4 x 40 MiB in 3.2 s (each body held whole until it ended).
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestServer } from "./harness.ts";

const MiB = 1024 * 1024;
const FILE = Buffer.alloc(40 * MiB, 0x5a);

// A fresh server for each measurement: memory a first attack took is not given back to the system, and would hide the second.
let server: TestServer;
beforeEach(async () => { server = await TestServer.startProcess(); });
afterEach(async () => { await server?.close(); });

const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) / 1024;

/** Samples the server's RSS every 100 ms while `work` runs; returns the highest seen. */
async function peakRssDuring(work: Promise<unknown>): Promise<number> {
  let peak = rssMiB();
  const timer = setInterval(() => { peak = Math.max(peak, rssMiB()); }, 100);
  try { await work; } finally { clearInterval(timer); }
  return Math.max(peak, rssMiB());
}

function uploadWhole(token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/_matrix/media/v3/upload`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/octet-stream", "content-length": String(FILE.length), authorization: `Bearer ${token}` },
    }, (res) => {
      let body = "";
      res.on("data", (chunk) => { body += chunk; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(FILE);
  });
}

/** A client that reads 64 KiB every 200 ms (about 320 KiB/s) for `ms`, then hangs up; resolves with its status. */
function slowDownload(token: string, mxc: string, ms: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${server.url}/_matrix/client/v1/media/download/${mxc}`, { agent: false, headers: { authorization: `Bearer ${token}` } });
    req.on("error", () => { /* we hang up */ });
    req.on("response", (res) => {
      res.pause();
      const tick = setInterval(() => { res.read(64 * 1024); }, 200);
      res.on("readable", () => { /* read in ticks only */ });
      setTimeout(() => { clearInterval(tick); req.destroy(); resolve(res.statusCode ?? 0); }, ms);
    });
    req.end();
  });
}

describe("media and the server's memory", () => {
  it("12 slow downloads of a 40 MiB file keep the server's memory about where it was", async () => {
    const uploader = await server.registerVisitor();
    const big = await uploadWhole(uploader.token);
    expect(big.status).toBe(200);
    const mxc = (JSON.parse(big.body).content_uri as string).slice("mxc://".length);
    // Three readers with four downloads each (under the per-visitor cap): all twelve are served.
    const readers = [await server.registerVisitor(), await server.registerVisitor(), await server.registerVisitor()];
    for (let i = 0; i < 5; i++) await server.request("GET", "/_matrix/client/versions");
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMiB();
    const statuses: number[] = [];
    const peak = await peakRssDuring(Promise.all(Array.from({ length: 12 }, (_, i) =>
      slowDownload(readers[i % 3]!.token, mxc, 8000).then((s) => statuses.push(s)))));
    console.log(`12 slow downloads of 40 MiB: RSS ${Math.round(idle)} MiB before, ${Math.round(peak)} MiB at the peak (+${Math.round(peak - idle)})`);
    expect(statuses).toEqual(Array(12).fill(200));
    expect({ grownMiB: Math.round(peak - idle), under100: peak - idle < 100 }).toMatchObject({ under100: true });
  });

  it("4 x 40 MiB uploads at once keep the server's memory about where it was", async () => {
    const uploader = await server.registerVisitor();
    for (let i = 0; i < 5; i++) await server.request("GET", "/_matrix/client/versions");
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssMiB();
    const statuses: number[] = [];
    const peak = await peakRssDuring(Promise.all(Array.from({ length: 4 }, () => uploadWhole(uploader.token).then((s) => statuses.push(s.status)))));
    console.log(`4 x 40 MiB uploads at once: RSS ${Math.round(before)} MiB before, ${Math.round(peak)} MiB at the peak (+${Math.round(peak - before)})`);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect({ grownMiB: Math.round(peak - before), under100: peak - before < 100 }).toMatchObject({ under100: true });
  });
});
