/**
 * Posts notifications to the push gateway, off the send path: a bounded queue
 * in memory, a few requests at a time, each with a timeout, retried with
 * backoff when the gateway is unreachable or failing. A pushkey the gateway
 * names in `rejected` is handed back (its pusher is then deleted). What is
 * lost when the queue is full or the retries run out is counted, never logged
 * by content (a notification says nothing but ids anyway).
 */

export interface GatewayJob {
  url: string;
  /** The push gateway request, JSON. */
  body: string;
  userId: string;
  appId: string;
  pushkey: string;
}

export interface GatewayQueueOptions {
  /** Notifications waiting (queued or between retries); past it the oldest is dropped. */
  maxPending: number;
  concurrency: number;
  timeoutMs: number;
  /** Waits before each retry; after the last, the notification is dropped. */
  backoffMs: readonly number[];
}

export const GATEWAY_QUEUE_DEFAULTS: GatewayQueueOptions = { maxPending: 1000, concurrency: 4, timeoutMs: 10_000, backoffMs: [1000, 4000, 16_000] };

interface Pending extends GatewayJob {
  tries: number;
}

export class GatewayQueue {
  private readonly queue: Pending[] = [];
  /** Jobs waiting to be tried again, in the order they failed. */
  private readonly retrying = new Map<Pending, NodeJS.Timeout>();
  private active = 0;
  private closed = false;
  private readonly inFlight = new Set<AbortController>();
  /** Counts since start: delivered (2xx), dropped (queue full or retries spent). */
  readonly stats = { delivered: 0, dropped: 0 };

  constructor(
    private readonly onRejected: (job: GatewayJob) => void,
    private readonly options: GatewayQueueOptions = GATEWAY_QUEUE_DEFAULTS,
  ) {}

  get pending(): number {
    return this.queue.length + this.retrying.size + this.active;
  }

  enqueue(job: GatewayJob): void {
    if (this.closed) return;
    if (this.queue.length + this.retrying.size >= this.options.maxPending) this.dropOldest();
    this.queue.push({ ...job, tries: 0 });
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.retrying.values()) clearTimeout(timer);
    this.retrying.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  /** The oldest waiting job goes: one between retries (it failed already) before a queued one. */
  private dropOldest(): void {
    this.stats.dropped++;
    const [oldest] = this.retrying.keys();
    if (oldest) {
      clearTimeout(this.retrying.get(oldest));
      this.retrying.delete(oldest);
    } else {
      this.queue.shift();
    }
  }

  private pump(): void {
    while (!this.closed && this.active < this.options.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      this.active++;
      void this.attempt(job).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async attempt(job: Pending): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(job.url, {
        method: "POST", headers: { "content-type": "application/json" }, body: job.body, signal: controller.signal,
      });
      const text = await response.text();
      if (response.status >= 500) return this.retry(job);
      // 4xx: the gateway will not take it however often it is sent.
      if (!response.ok) return this.drop();
      this.stats.delivered++;
      if (rejected(text).includes(job.pushkey)) this.onRejected(job);
    } catch {
      // Unreachable, reset or timed out.
      this.retry(job);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private retry(job: Pending): void {
    if (this.closed) return;
    const wait = this.options.backoffMs[job.tries];
    if (wait === undefined) return this.drop();
    job.tries++;
    const timer = setTimeout(() => {
      this.retrying.delete(job);
      this.queue.push(job);
      this.pump();
    }, wait);
    timer.unref();
    this.retrying.set(job, timer);
  }

  private drop(): void {
    this.stats.dropped++;
  }
}

/** The `rejected` pushkeys of a push gateway's answer; none when it is not the expected JSON. */
function rejected(text: string): string[] {
  try {
    const body = JSON.parse(text) as { rejected?: unknown };
    return Array.isArray(body.rejected) ? body.rejected.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}
