import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayJob, GatewayQueue } from "./gateway-queue.ts";

/** A gateway on loopback answering each request with the next of `answers` (then 200), or holding it when told. */
const answers: (number | "hold")[] = [];
const held: ServerResponse[] = [];
let requests = 0;
const gateway = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    requests++;
    const answer = answers.shift() ?? 200;
    if (answer === "hold") return void held.push(res);
    res.writeHead(answer, { "content-type": "application/json" }).end(JSON.stringify({ rejected: ["gone"] }));
  });
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/_matrix/push/v1/notify`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  gateway.closeAllConnections();
  await new Promise((resolve) => gateway.close(resolve));
});

const job = (pushkey = "key"): GatewayJob => ({ url, body: "{}", userId: "@mina:x", appId: "app", pushkey });
async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the push gateway queue", () => {
  it("retries after a 5xx and gives up after the last wait", async () => {
    answers.push(502, 503);
    const queue = new GatewayQueue(() => {}, { maxPending: 10, concurrency: 1, timeoutMs: 5000, backoffMs: [20, 20] });
    queue.enqueue(job());
    await until(() => queue.stats.delivered === 1);
    answers.push(500, 500, 500);
    queue.enqueue(job());
    await until(() => queue.stats.dropped === 1);
    expect(queue.stats).toEqual({ delivered: 1, dropped: 1 });
    queue.close();
  });

  it("hands back a rejected pushkey, and drops a 4xx without retrying", async () => {
    const rejected: string[] = [];
    const queue = new GatewayQueue((j) => rejected.push(j.pushkey), { maxPending: 10, concurrency: 1, timeoutMs: 5000, backoffMs: [20] });
    queue.enqueue(job("gone"));
    queue.enqueue(job("kept"));
    await until(() => queue.stats.delivered === 2);
    expect(rejected).toEqual(["gone"]);
    const before = requests;
    answers.push(400);
    queue.enqueue(job());
    await until(() => queue.stats.dropped === 1);
    expect(requests).toBe(before + 1);
    queue.close();
  });

  it("keeps at most maxPending waiting, dropping the oldest", async () => {
    answers.push("hold");
    const queue = new GatewayQueue(() => {}, { maxPending: 3, concurrency: 1, timeoutMs: 60_000, backoffMs: [] });
    queue.enqueue(job("first"));
    await until(() => held.length === 1);
    for (let i = 0; i < 10; i++) queue.enqueue(job(`k${i}`));
    expect(queue.stats.dropped).toBe(7);
    expect(queue.pending).toBe(4);
    queue.close();
  });
});
