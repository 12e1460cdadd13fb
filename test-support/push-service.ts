/**
 * A Web Push service on loopback for tests (docs/CRISIS.md "Push"), standing in
 * for the browser vendors' services: HTTPS with a throw-away self-signed
 * certificate (its PEM is `caFile`, for ONSAFE_PUSH_EXTRA_CA_FILE), subscriptions
 * made as a browser makes them (a P-256 key pair and a 16-byte auth secret), and
 * on each push: the VAPID Authorization checked (RFC 8292: ES256 with the `k`
 * key, `aud` the endpoint's origin, `exp` ahead), the `aes128gcm` body decrypted
 * with the subscription's keys (RFC 8291), and what arrived recorded. A push
 * failing either check is answered 401/400 and counted in `refused`.
 */
import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { decrypt } from "http_ece";

/** A PushSubscription's JSON, as a browser's `subscription.toJSON()` gives it. */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  /** The decrypted body, as text. */
  payload: string;
  urgency: string | undefined;
  ttl: number;
  /** The VAPID public key the push was signed with (`k`). */
  vapidKey: string;
  /** `Date.now()` when it was decrypted. */
  receivedAt: number;
}

interface Subscriber {
  ecdh: ECDH;
  auth: string;
  pushes: ReceivedPush[];
  gone: boolean;
  /** Statuses to answer the next pushes with instead of taking them (a push service having trouble); 0: no answer at all. */
  failures: number[];
}

/** A second name the certificate holds, for a test resolving it to loopback by hand (nothing in DNS has it). */
export const PUSH_SERVICE_NAME = "push.onsafe.test";

export class LocalPushService {
  private readonly subscribers = new Map<string, Subscriber>();
  /** Every request that reached the service, whatever came of it. */
  requests = 0;
  /** Pushes answered 400/401: a bad VAPID header or a body that did not decrypt. */
  refused = 0;

  private constructor(private readonly server: Server, private readonly dir: string, readonly origin: string, readonly caFile: string) {}

  static async start(): Promise<LocalPushService> {
    const dir = mkdtempSync(join(tmpdir(), "onsafe-push-"));
    const keyFile = join(dir, "key.pem");
    const caFile = join(dir, "cert.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyFile, "-out", caFile, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", `subjectAltName=IP:127.0.0.1,DNS:${PUSH_SERVICE_NAME}`,
    ], { stdio: "ignore" });
    let service: LocalPushService | undefined;
    const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => { service!.handle(req, res); });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as { port: number };
    service = new LocalPushService(server, dir, `https://127.0.0.1:${port}`, caFile);
    return service;
  }

  /** A new subscription, as `pushManager.subscribe()` makes one. */
  subscribe(): BrowserSubscription {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = randomBytes(16).toString("base64url");
    const id = randomBytes(12).toString("base64url");
    this.subscribers.set(id, { ecdh, auth, pushes: [], gone: false, failures: [] });
    return { endpoint: `${this.origin}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth } };
  }

  /** What `sub` has received so far, oldest first. */
  received(sub: BrowserSubscription): ReceivedPush[] {
    return this.subscriber(sub).pushes;
  }

  /** The browser dropped `sub`: its next pushes are answered 410 Gone. */
  markGone(sub: BrowserSubscription): void {
    this.subscriber(sub).gone = true;
  }

  /** The next push to `sub` is answered `status` (a 503, say) and not kept. */
  failNext(sub: BrowserSubscription, status: number): void {
    this.subscriber(sub).failures.push(status);
  }

  /** The next push to `sub` is read and never answered (a push service that hangs). */
  hangNext(sub: BrowserSubscription): void {
    this.subscriber(sub).failures.push(0);
  }

  /**
   * Waits (polling every 20 ms) for `sub`'s push number `count` (1 unless given)
   * and returns it; with `payload`, for the first push from that number on whose
   * decrypted body is exactly that.
   */
  async waitForPush(sub: BrowserSubscription, o: { timeoutMs: number; count?: number; payload?: string }): Promise<ReceivedPush> {
    const count = o.count ?? 1;
    const deadline = Date.now() + o.timeoutMs;
    const pushes = this.received(sub);
    const found = () => pushes.slice(count - 1).find((p) => o.payload === undefined || p.payload === o.payload);
    while (!found()) {
      if (Date.now() > deadline) {
        throw new Error(`no push ${o.payload ?? ""} from number ${count} on within ${o.timeoutMs} ms (received: ${JSON.stringify(pushes.map((p) => p.payload))}, ${this.refused} refused)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return found()!;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private subscriber(sub: BrowserSubscription): Subscriber {
    const found = this.subscribers.get(sub.endpoint.slice(`${this.origin}/push/`.length));
    if (!found) throw new Error(`not a subscription of this push service: ${sub.endpoint}`);
    return found;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.requests++;
      const answer = (status: number) => { res.writeHead(status).end(); };
      const match = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? "");
      const subscriber = match && req.method === "POST" ? this.subscribers.get(match[1]) : undefined;
      if (!subscriber) return answer(404);
      if (subscriber.gone) return answer(410);
      const failure = subscriber.failures.shift();
      if (failure === 0) return;
      if (failure !== undefined) return answer(failure);
      const vapidKey = vapidKeyIfValid(req.headers.authorization, this.origin);
      if (!vapidKey) {
        this.refused++;
        return answer(401);
      }
      let payload: string;
      try {
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
        payload = decrypt(Buffer.concat(chunks), { version: "aes128gcm", privateKey: subscriber.ecdh, authSecret: subscriber.auth }).toString("utf8");
      } catch {
        this.refused++;
        return answer(400);
      }
      subscriber.pushes.push({ payload, urgency: req.headers.urgency as string | undefined, ttl: Number(req.headers.ttl), vapidKey, receivedAt: Date.now() });
      answer(201);
    });
  }
}

/** The `k` of a valid `vapid t=<JWT>, k=<key>` header for `origin` (RFC 8292 section 3), or undefined. */
function vapidKeyIfValid(header: string | undefined, origin: string): string | undefined {
  const match = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!match) return undefined;
  const [, jwt, k] = match;
  const [head, body, signature] = jwt.split(".");
  try {
    const point = Buffer.from(k, "base64url");
    if (point.length !== 65 || point[0] !== 4) return undefined;
    const key = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
      format: "jwk",
    });
    const signed = verify("sha256", Buffer.from(`${head}.${body}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
    const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as { alg?: string };
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { aud?: string; exp?: number; sub?: string };
    const now = Date.now() / 1000;
    const fresh = typeof claims.exp === "number" && claims.exp > now && claims.exp <= now + 24 * 3600;
    return signed && header.alg === "ES256" && claims.aud === origin && fresh && typeof claims.sub === "string" ? k : undefined;
  } catch {
    return undefined;
  }
}
