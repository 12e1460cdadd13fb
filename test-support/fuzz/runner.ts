/**
 * Sends fuzz requests with bounded concurrency over node:http (which, unlike
 * fetch, sends any path as it is and reads an answer to a body the server
 * stopped reading), and checks every answer: no 5xx, every error a Matrix
 * error with a JSON content type, a refused request not accepted.
 */
import { createHash } from "node:crypto";
import { Agent, request } from "node:http";
import Database from "better-sqlite3";
import { tableNames } from "../database-rows.ts";
import type { FuzzKind, FuzzRequest } from "./requests.ts";

export interface FuzzReport {
  sent: number;
  byKind: Partial<Record<FuzzKind, number>>;
  /** Time spent waiting for answers, by kind, in ms: where a slow path shows. */
  msByKind: Partial<Record<FuzzKind, number>>;
  byStatus: Record<number, number>;
  /** Answers that break a rule: a 5xx, a non-Matrix error, a refused request accepted, a dropped connection. */
  findings: string[];
  ms: number;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export async function runFuzz(baseUrl: string, requests: Iterable<FuzzRequest>, concurrency = 16): Promise<FuzzReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const report: FuzzReport = { sent: 0, byKind: {}, msByKind: {}, byStatus: {}, findings: [], ms: 0 };
  const started = performance.now();
  const queue = requests[Symbol.iterator]();
  const worker = async () => {
    for (let item = queue.next(); !item.done; item = queue.next()) {
      const fuzz = item.value;
      report.sent++;
      report.byKind[fuzz.kind] = (report.byKind[fuzz.kind] ?? 0) + 1;
      const label = `${fuzz.kind} ${fuzz.method} ${fuzz.path.slice(0, 160)} ${fuzz.body?.subarray(0, 60).toString() ?? ""}`;
      let answer: Answer;
      const sentAt = performance.now();
      try {
        // An oversized body gets its own connection: the server answers and closes it before the upload ends.
        answer = await send(baseUrl, fuzz, fuzz.kind === "oversized" ? false : agent);
      } catch (error) {
        report.findings.push(`${label} -> transport error ${(error as Error).message}`);
        continue;
      } finally {
        report.msByKind[fuzz.kind] = Math.round((report.msByKind[fuzz.kind] ?? 0) + performance.now() - sentAt);
      }
      report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
      const problem = judge(fuzz, answer);
      if (problem) report.findings.push(`${label} -> ${answer.status} ${problem}: ${answer.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  report.ms = Math.round(performance.now() - started);
  return report;
}

function judge(fuzz: FuzzRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return "server error";
  if (fuzz.kind === "path-escape") return /root:.*:0:0:/.test(answer.text) ? "served a file from outside the web app" : undefined;
  if (fuzz.kind === "replay") return answer.status === 200 && answer.text.includes(fuzz.replayOf ?? "\u0000") ? undefined : "a replayed transaction did not get the first send's event id";
  if (answer.status < 400) return fuzz.mayAccept ? undefined : "accepted a request that must be refused";
  if (!answer.contentType.startsWith("application/json")) return `error with content type ${answer.contentType}`;
  let body: unknown;
  try { body = JSON.parse(answer.text); } catch { return "error body is not JSON"; }
  const { errcode, error } = (body ?? {}) as { errcode?: unknown; error?: unknown };
  if (typeof errcode !== "string" || typeof error !== "string") return "error body is not a Matrix error";
  return undefined;
}

function send(baseUrl: string, fuzz: FuzzRequest, agent: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers: Record<string, string> = { ...fuzz.headers };
    if (fuzz.body) headers["content-length"] = String(fuzz.body.length);
    const req = request(baseUrl + fuzz.path, { method: fuzz.method, headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        // An oversized body's connection is done with: the rest of the body is never sent.
        if (fuzz.kind === "oversized") req.destroy();
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString() });
      });
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("no answer in 30 s")));
    req.on("error", (error) => { if (!answered) reject(error); });
    if (fuzz.kind !== "oversized") {
      req.end(fuzz.body);
      return;
    }
    // The server refuses an oversized body from its Content-Length and closes the connection: send the
    // headers, wait for that answer, and send the body only if none came, so the answer is read before any EPIPE.
    req.flushHeaders();
    setTimeout(() => { if (!answered) req.end(fuzz.body); }, 200);
  });
}

/**
 * Row counts and a hash of every row of every table of the homeserver
 * database, read from its file: two equal fingerprints mean nothing changed.
 */
export function fingerprint(databaseFile: string): Record<string, string> {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const print: Record<string, string> = {};
    for (const table of tableNames(db)) {
      const rows = db.prepare(`select * from "${table}"`).raw().all();
      const lines = rows.map((row) => JSON.stringify(row, (_, v) => Buffer.isBuffer(v) ? v.toString("base64") : typeof v === "bigint" ? String(v) : v)).sort();
      print[table] = `${rows.length} rows ${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
    }
    return print;
  } finally {
    db.close();
  }
}
