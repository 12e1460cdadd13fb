/**
 * A client that keeps one connection alive between requests, as browsers and
 * SDKs do (node:http Agent with keepAlive and one socket), for tests of what
 * the next request on a connection finds after an early refusal.
 */
import { Agent, request } from "node:http";

export interface Answer {
  status: number;
  connection: string | undefined;
  body: any;
  /** Which socket carried the request: the same number means the connection was reused. */
  socket: number;
}

export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private sockets = new WeakMap<object, number>();
  private opened = 0;

  constructor(private readonly baseUrl: string) {}

  /** Sends `body` (its length announced up front) and resolves with the answer, or rejects with the connection's error. */
  send(method: string, path: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<Answer> {
    const data = typeof body === "string" ? Buffer.from(body) : body;
    return new Promise((resolve, reject) => {
      const req = request(this.baseUrl + path, { method, agent: this.agent, headers: { "content-length": String(data.length), ...headers } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => { text += chunk; });
        res.on("end", () => {
          let parsed: unknown = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: parsed, socket: this.sockets.get(req.socket!) ?? -1 });
        });
      });
      req.on("socket", (socket) => { if (!this.sockets.has(socket)) this.sockets.set(socket, ++this.opened); });
      // The server may stop reading an upload it refused: a write error after the answer is not the test's concern.
      req.on("error", (error) => reject(error));
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
