/**
 * Bodies sent slowly or never finished (issue 21, finding 10): a route that
 * needs a token refuses a request without one before reading its body, a JSON
 * body slower than `bodyTimeoutMs` is cut off, and a client that goes away
 * mid-body costs one quiet log line.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Account, TestServer } from "./harness.ts";

let server: TestServer;
let visitor: Account;
let roomId: string;
const BODY_TIMEOUT_MS = 400;

beforeAll(async () => {
  server = await TestServer.start({ bodyTimeoutMs: BODY_TIMEOUT_MS });
  visitor = await server.registerVisitor();
  roomId = (await server.call(visitor, "POST", "/createRoom", {})).body.room_id;
});
afterAll(async () => { await server.close(); });

interface Partial { status: number; body: string; closed: Promise<void>; socket: Socket }

/**
 * Announces `declared` bytes, sends only `sent` of them, and resolves with the
 * answer (if one comes) while the rest of the body is still owed.
 */
function sendPart(path: string, declared: number, sent: number, token?: string): { answer: Promise<Partial>; abort: () => void } {
  return sendPartTo(server, path, declared, sent, token);
}

function sendPartTo(to: TestServer, path: string, declared: number, sent: number, token?: string): { answer: Promise<Partial>; abort: () => void } {
  const req = request(to.url + path, {
    method: "PUT",
    agent: false,
    headers: { "content-type": "application/json", "content-length": String(declared), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const answer = new Promise<Partial>((resolve) => {
    // The server may answer and close before the client has written all it declared: the client's
    // write then fails (EPIPE, ECONNRESET) before it reads the answer. That is a refusal too, status 0.
    req.on("error", () => resolve({ status: 0, body: "", closed: Promise.resolve(), socket: req.socket! }));
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => { body += chunk; });
      res.on("end", () => {
        const socket = req.socket!;
        const closed = socket.closed ? Promise.resolve() : new Promise<void>((done) => socket.once("close", () => done()));
        resolve({ status: res.statusCode ?? 0, body, closed, socket });
      });
    });
  });
  req.write(Buffer.alloc(sent, 0x20));
  return { answer, abort: () => req.destroy() };
}

/** Waits (generously: a busy machine) for the first line, then a while longer in case more follow. */
async function logged(lines: string[]): Promise<void> {
  for (const start = Date.now(); lines.length === 0 && Date.now() - start < 30_000;) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
}

const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, new Promise<"no answer">((r) => setTimeout(() => r("no answer"), ms))]);

describe("a body the server never needs", () => {
  it("is not waited for: an unauthenticated 1 MiB PUT send answers 401 with only 1 KiB of it sent", async () => {
    const { answer, abort } = sendPart(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t1`, 1024 * 1024, 1024);
    // A server that waited for the body would answer 408 after BODY_TIMEOUT_MS: the status tells, not the time.
    const reply = await within(60_000, answer);
    abort();
    expect(reply === "no answer" ? reply : { status: reply.status, errcode: JSON.parse(reply.body).errcode }).toEqual({ status: 401, errcode: "M_MISSING_TOKEN" });
  });
});

describe("200 unauthenticated 1 MiB bodies left unfinished", () => {
  it("do not grow the server's memory: each is refused before it is read", async () => {
    const child = await TestServer.startProcess();
    const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024;
    const clients: { answer: Promise<Partial>; abort: () => void }[] = [];
    try {
      for (let i = 0; i < 5; i++) await child.request("GET", "/_matrix/client/versions");
      const before = rssMiB();
      for (let i = 0; i < 200; i++) {
        // All but the last byte: before issue 21 the server buffered each whole body, waiting for that byte.
        const part = sendPartTo(child, `/_matrix/client/v3/rooms/!r:localhost/send/m.room.message/s${i}`, 1024 * 1024, 1024 * 1024 - 1);
        clients.push(part);
      }
      const answered = await within(60_000, Promise.all(clients.map((c) => c.answer)));
      await new Promise((r) => setTimeout(r, 500));
      const grown = rssMiB() - before;
      console.log(`RSS ${Math.round(before)} MiB before, +${Math.round(grown)} MiB after 200 unfinished bodies`);
      // 401 answered, or 0: the connection closed on a client still writing. A server that waited for the
      // bodies would answer 408 after its body timeout (30 s here), or nothing at all.
      const statuses = answered === "no answer" ? answered : [...new Set(answered.map((a) => a.status))].sort();
      expect({ statuses, grownUnder60MiB: grown < 60, grown: Math.round(grown) }).toMatchObject({ grownUnder60MiB: true });
      expect(statuses === "no answer" ? statuses : statuses.filter((s) => s !== 0 && s !== 401)).toEqual([]);
    } finally {
      for (const c of clients) c.abort();
      await child.close();
    }
  }, 120_000);
});

describe("a body slower than bodyTimeoutMs", () => {
  it("is cut off with 408 and the connection closed", async () => {
    const events = server.count("events");
    const { answer, abort } = sendPart(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t2`, 1000, 10, visitor.token);
    const reply = await within(60_000, answer);
    abort();
    expect(reply === "no answer" ? reply : reply.status).toBe(408);
    if (reply !== "no answer") await reply.closed;
    expect(server.count("events")).toBe(events);
  });
});

describe("a client that goes away mid-body", () => {
  it("costs one log line, with no request data in it", async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => { lines.push(args.map(String).join(" ")); };
    const spies = (["error", "warn", "log", "info"] as const).map((m) => vi.spyOn(console, m).mockImplementation(record));
    try {
      const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t3`;
      const { abort } = sendPart(path, 1000, 10, visitor.token);
      // Well within BODY_TIMEOUT_MS, which would answer 408 first.
      await new Promise((r) => setTimeout(r, 100));
      abort();
      await logged(lines);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\n/);
    expect(lines[0]).not.toContain(visitor.token);
    expect(lines[0]).not.toContain(roomId);
    expect(lines[0]).not.toContain("127.0.0.1");
  });

  it("also for a media upload: one line, no stack", async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => { lines.push(args.map(String).join(" ")); };
    const spies = (["error", "warn", "log", "info"] as const).map((m) => vi.spyOn(console, m).mockImplementation(record));
    try {
      const req = request(`${server.url}/_matrix/media/v3/upload`, { method: "POST", agent: false, headers: { "content-type": "image/png", "content-length": "100000", authorization: `Bearer ${visitor.token}` } });
      req.on("error", () => { /* we hang up */ });
      req.write(Buffer.alloc(1000));
      await new Promise((r) => setTimeout(r, 100));
      req.destroy();
      await logged(lines);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\n/);
  });
});
