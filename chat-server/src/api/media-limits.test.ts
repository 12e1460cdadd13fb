/**
 * Media under attack (issue 21, finding 3): uploads go to disk as they arrive,
 * under a size limit, a minimum rate, a per-account quota and (visitors) a
 * rate; downloads are read from disk in chunks, at most so many at once per
 * visitor and in all, and a slot is given back when the answer ends or the
 * client goes away. Real homeserver over HTTP; `media.deep.test.ts` measures
 * the memory.
 */
import { readdirSync, readlinkSync, statSync } from "node:fs";
import { type IncomingMessage, request } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Account, expectError, type TestServer } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const MiB = 1024 * 1024;

interface Answer { status: number; body: any }

/**
 * An upload sent in parts with node:http: `declared` as Content-Length (or
 * chunked when undefined); `send` writes more, `end` finishes, `abort` hangs up.
 */
function upload(server: TestServer, token: string, declared?: number) {
  const req = request(`${server.url}/_matrix/media/v3/upload?filename=part.bin`, {
    method: "POST",
    agent: false,
    headers: { "content-type": "application/octet-stream", authorization: `Bearer ${token}`, ...(declared === undefined ? {} : { "content-length": String(declared) }) },
  });
  req.on("error", () => { /* the server may answer and close first */ });
  const answer = new Promise<Answer>((resolve) => {
    req.on("response", (res) => {
      let text = "";
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
  });
  req.flushHeaders();
  return {
    answer,
    send: (bytes: number) => new Promise<void>((resolve) => { if (!req.write(Buffer.alloc(bytes, 0x61))) req.once("drain", () => resolve()); else resolve(); }),
    end: () => { req.end(); return answer; },
    abort: () => req.destroy(),
  };
}

/** A download whose body is not read until asked: the server has to wait for this client. */
function download(server: TestServer, token: string, mxc: string) {
  const req = request(`${server.url}/_matrix/client/v1/media/download/${mxc}`, { agent: false, headers: { authorization: `Bearer ${token}` } });
  req.on("error", () => { /* we may hang up */ });
  const response = new Promise<IncomingMessage>((resolve) => req.on("response", (res) => { res.pause(); resolve(res); }));
  req.end();
  return {
    response,
    /** Reads the whole body; resolves with its length. */
    readAll: async () => {
      const res = await response;
      let length = 0;
      res.on("data", (chunk: Buffer) => { length += chunk.length; });
      res.resume();
      // "close" whichever way it ends: whole, or cut off by the server.
      await new Promise((r) => res.once("close", r));
      return length;
    },
    abort: () => req.destroy(),
  };
}

async function errorOf(res: IncomingMessage): Promise<any> {
  let text = "";
  res.setEncoding("utf8");
  res.on("data", (chunk) => { text += chunk; });
  res.resume();
  await new Promise((r) => res.once("end", r));
  return JSON.parse(text);
}

const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, new Promise<"no answer">((r) => setTimeout(() => r("no answer"), ms))]);
const mediaFiles = (server: TestServer) => readdirSync(join(server.config.dataDir, "media"));
const mediaId = (mxc: string) => mxc.split("/").pop()!;
const raw = (server: TestServer, who: Account, bytes: number) =>
  server.request("POST", "/_matrix/media/v3/upload", { token: who.token, raw: new Uint8Array(bytes), headers: { "content-type": "application/octet-stream" } });

describe("a streamed upload", () => {
  const env = serverWithAccounts({}, { maxUploadBytes: 4 * MiB, bodyTimeoutMs: 600, uploadMinBytesPerSecond: 20_000 });

  it("is written to a file as it arrives, not held until it ends; the finished upload leaves only its own file", async () => {
    const visitor = await env.server.registerVisitor();
    const before = mediaFiles(env.server).length;
    const part = upload(env.server, visitor.token, 2 * MiB);
    await part.send(MiB);
    // Half sent: the server already has it on disk (it used to hold the whole body in memory until the end).
    const sizeOnDisk = () => Math.max(0, ...mediaFiles(env.server).map((f) => statSync(join(env.server.config.dataDir, "media", f)).size));
    await expect.poll(sizeOnDisk, { timeout: 10_000 }).toBeGreaterThanOrEqual(MiB / 2);
    await part.send(MiB);
    const reply = await part.end();
    expect(reply.status).toBe(200);
    expect(mediaFiles(env.server)).toEqual(expect.arrayContaining([mediaId(reply.body.content_uri)]));
    expect(mediaFiles(env.server)).toHaveLength(before + 1);
    expect(statSync(join(env.server.config.dataDir, "media", mediaId(reply.body.content_uri))).size).toBe(2 * MiB);
  });

  it("over the size limit without a Content-Length: 413 M_TOO_LARGE once it passes the limit, the partial file removed, no row", async () => {
    const visitor = await env.server.registerVisitor();
    const [files, rows] = [mediaFiles(env.server).length, env.server.count("media")];
    const part = upload(env.server, visitor.token);
    for (let i = 0; i < 5; i++) await part.send(MiB);
    const reply = await within(20_000, part.answer);
    part.abort();
    expect(reply === "no answer" ? reply : [reply.status, reply.body.errcode]).toEqual([413, "M_TOO_LARGE"]);
    await expect.poll(() => mediaFiles(env.server).length, { timeout: 10_000 }).toBe(files);
    expect(env.server.count("media")).toBe(rows);
  });

  it("from a client gone mid-upload leaves no file and no row", async () => {
    const visitor = await env.server.registerVisitor();
    const [files, rows] = [mediaFiles(env.server).length, env.server.count("media")];
    const part = upload(env.server, visitor.token, 2 * MiB);
    await part.send(MiB);
    await new Promise((r) => setTimeout(r, 300));
    part.abort();
    await new Promise((r) => setTimeout(r, 300));
    await expect.poll(() => mediaFiles(env.server).length, { timeout: 10_000 }).toBe(files);
    expect(env.server.count("media")).toBe(rows);
  });

  it("slower than ONSAFE_UPLOAD_MIN_BYTES_PER_SECOND after the first ONSAFE_BODY_TIMEOUT_MS: 408, the partial file removed, no row", async () => {
    const visitor = await env.server.registerVisitor();
    const [files, rows] = [mediaFiles(env.server).length, env.server.count("media")];
    const part = upload(env.server, visitor.token, 100_000);
    await part.send(1000);
    // Nothing more: allowed 0.6 s + 1000 / 20,000 s. Before issue 21 only Node's 300 s request timeout ended it.
    const reply = await within(15_000, part.answer);
    part.abort();
    expect(reply === "no answer" ? reply : reply.status).toBe(408);
    await expect.poll(() => mediaFiles(env.server).length, { timeout: 10_000 }).toBe(files);
    expect(env.server.count("media")).toBe(rows);
  });

  it("that ends after its account was deleted stores nothing: the deletion removed the account's files, and would not see this one", async () => {
    const visitor = await env.server.registerVisitor();
    const rows = env.server.count("media");
    const part = upload(env.server, visitor.token);
    await part.send(100_000);
    const ask = await env.server.call(visitor, "POST", "/account/deactivate", {});
    expect((await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } })).status).toBe(200);
    const reply = await part.end();
    expect([reply.status, reply.body?.errcode]).toEqual([401, "M_UNKNOWN_TOKEN"]);
    expect(env.server.count("media")).toBe(rows);
    await expect.poll(() => mediaFiles(env.server).filter((f) => !f.startsWith(".")).length, { timeout: 10_000 }).toBe(rows);
  });

  it("at a steady rate above the minimum takes as long as it needs", async () => {
    const visitor = await env.server.registerVisitor();
    const part = upload(env.server, visitor.token, 120_000);
    // 40 KB/s for 3 s: five times the grace period, at twice the minimum rate.
    for (let i = 0; i < 30; i++) {
      await part.send(4000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await part.end()).status).toBe(200);
  });
});

describe("upload quota and rate per account", () => {
  const env = serverWithAccounts({ companion: ["companion", "quota-staff"] }, { visitorMediaMaxBytes: 10_000, staffMediaMaxBytes: 0, visitorUploadsPerHour: 5 });

  it("a visitor keeps at most ONSAFE_VISITOR_MEDIA_MAX_BYTES: past it 413 M_TOO_LARGE, before reading when Content-Length says so, else while streaming; nothing stored", async () => {
    const visitor = await env.server.registerVisitor();
    expect((await raw(env.server, visitor, 6000)).status).toBe(200);
    const [files, rows] = [mediaFiles(env.server).length, env.server.count("media")];
    // Content-Length over what is left: refused with only the headers sent.
    const declared = upload(env.server, visitor.token, 5000);
    const early = await within(5000, declared.answer);
    declared.abort();
    expect(early === "no answer" ? early : [early.status, early.body.errcode]).toEqual([413, "M_TOO_LARGE"]);
    // Chunked: refused once it passes.
    const chunked = upload(env.server, visitor.token);
    await chunked.send(5000);
    const late = await within(10_000, chunked.end());
    expect(late === "no answer" ? late : [late.status, late.body.errcode]).toEqual([413, "M_TOO_LARGE"]);
    await expect.poll(() => mediaFiles(env.server).length, { timeout: 10_000 }).toBe(files);
    expect(env.server.count("media")).toBe(rows);
    // What is left still fits.
    expect((await raw(env.server, visitor, 4000)).status).toBe(200);
  });

  it("two uploads at once cannot pass the quota together", async () => {
    const visitor = await env.server.registerVisitor();
    const a = upload(env.server, visitor.token);
    const b = upload(env.server, visitor.token);
    await a.send(6000);
    await b.send(6000);
    const answers = await Promise.all([a.end(), b.end()]);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 413]);
  });

  it("a visitor may start ONSAFE_VISITOR_UPLOADS_PER_HOUR uploads an hour: past it 429 M_LIMIT_EXCEEDED with retry_after_ms, nothing stored", async () => {
    const visitor = await env.server.registerVisitor();
    for (let i = 0; i < 5; i++) expect((await raw(env.server, visitor, 10)).status).toBe(200);
    const rows = env.server.count("media");
    const refused = expectError(await raw(env.server, visitor, 10), 429, "M_LIMIT_EXCEEDED");
    expect(refused.body.retry_after_ms).toBeGreaterThan(0);
    expect(refused.body.retry_after_ms).toBeLessThanOrEqual(3_600_000);
    expect(env.server.count("media")).toBe(rows);
  });

  it("staff are bound by neither (ONSAFE_STAFF_MEDIA_MAX_BYTES 0: none)", async () => {
    for (let i = 0; i < 7; i++) expect((await raw(env.server, env.companion, 5000)).status).toBe(200);
  });

  it("/media/config still reports m.upload.size", async () => {
    const visitor = await env.server.registerVisitor();
    expect((await env.server.request("GET", "/_matrix/client/v1/media/config", { token: visitor.token })).body).toEqual({ "m.upload.size": env.server.config.maxUploadBytes });
  });
});

describe("a visitor's upload bandwidth", () => {
  const env = serverWithAccounts({ companion: ["companion", "pace-staff"] }, { maxUploadBytes: 8 * MiB, visitorUploadBytesPerSecond: MiB });

  /** Sends `bytes` as fast as the socket takes them; resolves with the answer and how long it took. */
  async function timed(token: string, bytes: number): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const part = upload(env.server, token, bytes);
    for (let sent = 0; sent < bytes; sent += 256 * 1024) await part.send(Math.min(256 * 1024, bytes - sent));
    const answer = await part.end();
    return { status: answer.status, ms: Date.now() - started };
  }

  it("is paced to ONSAFE_VISITOR_UPLOAD_BYTES_PER_SECOND, its uploads together; staff are not paced", async () => {
    const visitor = await env.server.registerVisitor();
    // 3 MiB at 1 MiB/s: at least about 2 s (the first chunks go before any wait). A lower bound only.
    const alone = await timed(visitor.token, 3 * MiB);
    expect(alone.status).toBe(200);
    expect(alone.ms).toBeGreaterThanOrEqual(1800);
    // Two at once share the pace: 2 x 2 MiB, at least about 3 s for both.
    const started = Date.now();
    const both = await Promise.all([timed(visitor.token, 2 * MiB), timed(visitor.token, 2 * MiB)]);
    expect(both.map((b) => b.status)).toEqual([200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2800);
    // A companion's 3 MiB is not held to it (loopback: well under the visitor's 2 s, even on a busy machine).
    const staff = await timed(env.companion.token, 3 * MiB);
    expect(staff.status).toBe(200);
    expect(staff.ms).toBeLessThan(alone.ms);
  });
});

describe("a visitor's download bandwidth", () => {
  const env = serverWithAccounts({ companion: ["companion", "download-pace-staff"] }, { maxUploadBytes: 8 * MiB, visitorDownloadBytesPerSecond: MiB });

  async function timed(token: string, mxc: string): Promise<{ bytes: number; ms: number }> {
    const started = Date.now();
    const bytes = await download(env.server, token, mxc).readAll();
    return { bytes, ms: Date.now() - started };
  }

  it("is paced to ONSAFE_VISITOR_DOWNLOAD_BYTES_PER_SECOND, its downloads together; staff are not paced", async () => {
    const visitor = await env.server.registerVisitor();
    const stored = await upload(env.server, visitor.token, 3 * MiB);
    await stored.send(3 * MiB);
    const mxc = (await stored.end()).body.content_uri.slice("mxc://".length);
    // 3 MiB at 1 MiB/s: at least about 2 s (the first chunks go before any wait). A lower bound only.
    const alone = await timed(visitor.token, mxc);
    expect(alone.bytes).toBe(3 * MiB);
    expect(alone.ms).toBeGreaterThanOrEqual(1800);
    // Two at once share the pace: 2 x 3 MiB, at least about 5 s for both.
    const started = Date.now();
    const both = await Promise.all([timed(visitor.token, mxc), timed(visitor.token, mxc)]);
    expect(both.map((b) => b.bytes)).toEqual([3 * MiB, 3 * MiB]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4800);
    // A companion's download of the same file is not held to it (loopback: well under the visitor's 2 s, even on a busy machine).
    const staff = await timed(env.companion.token, mxc);
    expect(staff.bytes).toBe(3 * MiB);
    expect(staff.ms).toBeLessThan(alone.ms);
  });
});

describe("downloads at once", () => {
  // 16 MiB: more than loopback's socket buffers hold, so a client that does not read keeps its download going.
  const SIZE = 16 * MiB;
  const env = serverWithAccounts({ companion: ["companion", "download-staff"] }, { maxUploadBytes: 32 * MiB, maxDownloadsPerVisitor: 2, maxDownloads: 3 });
  let mxc: string;
  const openFilesOf = (id: string) => readdirSync("/proc/self/fd").filter((fd) => {
    try { return readlinkSync(`/proc/self/fd/${fd}`).endsWith(`/media/${id}`); } catch { return false; }
  }).length;

  it("are capped per visitor (ONSAFE_MAX_DOWNLOADS_PER_VISITOR) and in all (ONSAFE_MAX_DOWNLOADS): 429 M_LIMIT_EXCEEDED with retry_after_ms", async () => {
    const reply = await raw(env.server, env.companion, SIZE);
    expect(reply.status).toBe(200);
    mxc = reply.body.content_uri.slice("mxc://".length);
    const [a, b] = [await env.server.registerVisitor(), await env.server.registerVisitor()];
    const a1 = download(env.server, a.token, mxc);
    const a2 = download(env.server, a.token, mxc);
    expect([(await a1.response).statusCode, (await a2.response).statusCode]).toEqual([200, 200]);
    expect((await a1.response).headers["content-length"]).toBe(String(SIZE));
    const a3 = await download(env.server, a.token, mxc).response;
    const perAccount = await errorOf(a3);
    expect([a3.statusCode, perAccount.errcode]).toEqual([429, "M_LIMIT_EXCEEDED"]);
    expect(perAccount.retry_after_ms).toBeGreaterThan(0);
    const b1 = download(env.server, b.token, mxc);
    expect((await b1.response).statusCode).toBe(200);
    const b2 = await download(env.server, b.token, mxc).response;
    const inAll = await errorOf(b2);
    expect([b2.statusCode, inAll.errcode]).toEqual([429, "M_LIMIT_EXCEEDED"]);

    // One answer read to its end gives its slot back.
    expect(await a1.readAll()).toBe(SIZE);
    await expect.poll(async () => {
      const next = download(env.server, a.token, mxc);
      const res = await next.response;
      next.abort();
      return res.statusCode;
    }, { timeout: 10_000, interval: 200 }).toBe(200);
    // A client gone mid-download gives its slot back and the file is closed.
    a2.abort();
    b1.abort();
    await expect.poll(() => openFilesOf(mediaId(mxc)), { timeout: 10_000 }).toBe(0);
    const after = [download(env.server, a.token, mxc), download(env.server, a.token, mxc), download(env.server, b.token, mxc)];
    expect(await Promise.all(after.map(async (d) => (await d.response).statusCode))).toEqual([200, 200, 200]);
    expect(await after[2]!.readAll()).toBe(SIZE);
    for (const d of after) d.abort();
  });

  it("a download is read from the file as the client takes it: one that does not read holds the file open, not its bytes", async () => {
    const visitor = await env.server.registerVisitor();
    const paused = download(env.server, visitor.token, mxc);
    expect((await paused.response).statusCode).toBe(200);
    // The file stays open while the client has not taken it all (it used to be read whole and closed at once).
    await new Promise((r) => setTimeout(r, 500));
    expect(openFilesOf(mediaId(mxc))).toBe(1);
    paused.abort();
    await expect.poll(() => openFilesOf(mediaId(mxc)), { timeout: 10_000 }).toBe(0);
  });
});

describe("a download nobody takes", () => {
  const env = serverWithAccounts({ companion: ["companion", "stall-staff"] }, { maxUploadBytes: 32 * MiB, bodyTimeoutMs: 500, maxDownloadsPerVisitor: 1 });
  const openFilesOf = (id: string) => readdirSync("/proc/self/fd").filter((fd) => {
    try { return readlinkSync(`/proc/self/fd/${fd}`).endsWith(`/media/${id}`); } catch { return false; }
  }).length;

  it("is cut off once its client has taken nothing for ONSAFE_BODY_TIMEOUT_MS: the file closed, the slot given back", async () => {
    const reply = await raw(env.server, env.companion, 16 * MiB);
    const mxc = reply.body.content_uri.slice("mxc://".length);
    const visitor = await env.server.registerVisitor();
    const stalled = download(env.server, visitor.token, mxc);
    const res = await stalled.response;
    expect(res.statusCode).toBe(200);
    // The server gives up on it (this client, not reading, does not see the end until it reads).
    await expect.poll(() => openFilesOf(mediaId(mxc)), { timeout: 15_000 }).toBe(0);
    const next = download(env.server, visitor.token, mxc);
    expect(await next.readAll()).toBe(16 * MiB);
    // What the stalled client gets when it reads at last: less than the file.
    expect(await stalled.readAll()).toBeLessThan(16 * MiB);
  });

  it("HEAD gives its slot back and closes the file", async () => {
    const reply = await raw(env.server, env.companion, 1000);
    const mxc = reply.body.content_uri.slice("mxc://".length);
    const visitor = await env.server.registerVisitor();
    for (let i = 0; i < 3; i++) {
      const head = await fetch(`${env.server.url}/_matrix/client/v1/media/download/${mxc}`, { method: "HEAD", headers: { authorization: `Bearer ${visitor.token}` } });
      expect(head.status).toBe(200);
    }
    await expect.poll(() => openFilesOf(mediaId(mxc)), { timeout: 10_000 }).toBe(0);
    const body = await fetch(`${env.server.url}/_matrix/client/v1/media/download/${mxc}`, { headers: { authorization: `Bearer ${visitor.token}` } });
    expect([body.status, (await body.arrayBuffer()).byteLength]).toEqual([200, 1000]);
  });
});
