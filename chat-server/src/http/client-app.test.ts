import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../../test/harness.ts";
import { CLIENT_SECURITY_HEADERS } from "./client-app.ts";

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A request with node:http, which sends the path exactly as written (fetch
 * would resolve `..` first) and hands back the body as it came, not decompressed.
 */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const INDEX = "<!doctype html><title>onsafe</title><script type=module src=/assets/app-3f2a.js></script>";
const APP_JS = "console.log('the victim app');".repeat(50);
const WASM = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(4096, 7)]);
const SECRET = "registration shared secret";

/** A dist folder as the client build leaves it, inside a folder holding things that must never be served. */
function fakeBuild(): { base: string; dist: string } {
  const base = mkdtempSync(join(tmpdir(), "onsafe-client-"));
  const dist = join(base, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  const withVariants = (path: string, content: string | Buffer) => {
    writeFileSync(join(dist, path), content);
    writeFileSync(join(dist, `${path}.br`), brotliCompressSync(content));
    writeFileSync(join(dist, `${path}.gz`), gzipSync(content));
  };
  withVariants("index.html", INDEX);
  withVariants("assets/app-3f2a.js", APP_JS);
  withVariants("assets/matrix_sdk_crypto_wasm_bg-9c1d.wasm", WASM);
  writeFileSync(join(dist, "assets/style-77aa.css"), "body{margin:0}");
  writeFileSync(join(dist, "favicon.ico"), Buffer.from([0, 0, 1, 0]));
  writeFileSync(join(dist, "notes.md"), "not a type the app serves");
  writeFileSync(join(dist, ".env"), SECRET);
  writeFileSync(join(base, "secrets.json"), JSON.stringify({ secret: SECRET }));
  writeFileSync(join(base, "package.json"), JSON.stringify({ name: SECRET }));
  symlinkSync(join(base, "secrets.json"), join(dist, "assets/leak.json"));
  return { base, dist };
}

describe("the web app at /", () => {
  let build: { base: string; dist: string };
  let server: TestServer;
  beforeAll(async () => {
    build = fakeBuild();
    server = await TestServer.start({ clientDir: build.dist });
  });
  afterAll(async () => {
    await server.close();
    rmSync(build.base, { recursive: true, force: true });
  });

  it("serves index.html at / with every security header, never cached", async () => {
    const reply = await raw(server, "GET", "/");
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe(INDEX);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.headers["content-length"]).toBe(String(INDEX.length));
    expect(reply.headers.vary).toBe("Accept-Encoding");
    expect(reply.headers.etag).toBeUndefined();
    for (const [name, value] of Object.entries(CLIENT_SECURITY_HEADERS)) expect(reply.headers[name.toLowerCase()]).toBe(value);
    expect(reply.headers["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(reply.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("serves the companion console's page at /console when it exists, the app's page until then", async () => {
    for (const path of ["/console", "/console/", "/console/cases/42"]) {
      const reply = await raw(server, "GET", path);
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toBe(INDEX);
    }
    writeFileSync(join(build.dist, "console.html"), "<!doctype html><title>console</title>");
    try {
      const reply = await raw(server, "GET", "/console");
      expect(reply.body.toString()).toContain("<title>console</title>");
      expect(reply.headers["cache-control"]).toBe("no-store");
    } finally {
      unlinkSync(join(build.dist, "console.html"));
    }
  });

  it("serves the console's service worker at /console/sw.js as JavaScript, not as the console's page, and nothing at /sw.js", async () => {
    const worker = "self.addEventListener('push', () => {});";
    mkdirSync(join(build.dist, "console"), { recursive: true });
    writeFileSync(join(build.dist, "console/sw.js"), worker);
    try {
      const reply = await raw(server, "GET", "/console/sw.js");
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toBe(worker);
      expect(reply.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      // Checked for a new version each time (a worker's URL never changes), and under the app's CSP.
      expect(reply.headers["cache-control"]).toBe("no-cache");
      expect(reply.headers["content-security-policy"]).toBe(CLIENT_SECURITY_HEADERS["Content-Security-Policy"]);
      expect((await raw(server, "GET", "/sw.js")).status).toBe(404);
    } finally {
      rmSync(join(build.dist, "console"), { recursive: true, force: true });
    }
    // Not built: a 404, never the console's page under a script's name.
    expect((await raw(server, "GET", "/console/sw.js")).status).toBe(404);
  });

  it("sends brotli, gzip or the plain file as the browser accepts, with the right type and length", async () => {
    const path = "/assets/app-3f2a.js";
    const br = await raw(server, "GET", path, { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(br.headers["content-length"]).toBe(String(br.body.length));
    expect(br.body.length).toBeLessThan(APP_JS.length);
    expect(br.headers.vary).toBe("Accept-Encoding");

    const gzip = await raw(server, "GET", path, { "accept-encoding": "gzip, br;q=0" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.body[0]).toBe(0x1f);

    const plain = await raw(server, "GET", path);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(APP_JS);
    expect(plain.headers.vary).toBe("Accept-Encoding");
  });

  it("serves the crypto wasm as application/wasm, so WebAssembly.instantiateStreaming takes it", async () => {
    const path = "/assets/matrix_sdk_crypto_wasm_bg-9c1d.wasm";
    const plain = await raw(server, "GET", path);
    expect(plain.headers["content-type"]).toBe("application/wasm");
    expect(plain.body.equals(WASM)).toBe(true);
    const br = await raw(server, "GET", path, { "accept-encoding": "br" });
    expect(br.headers["content-type"]).toBe("application/wasm");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("lets browsers keep hashed assets for a year and revalidate other files", async () => {
    const asset = await raw(server, "GET", "/assets/style-77aa.css");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(asset.headers["content-security-policy"]).toBe(CLIENT_SECURITY_HEADERS["Content-Security-Policy"]);
    const icon = await raw(server, "GET", "/favicon.ico");
    expect(icon.headers["cache-control"]).toBe("no-cache");
    expect(icon.headers["content-type"]).toBe("image/x-icon");
  });

  it("answers 304 to a matching If-None-Match, per encoding", async () => {
    const path = "/assets/app-3f2a.js";
    const first = await raw(server, "GET", path, { "accept-encoding": "br" });
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^".+"$/);
    const again = await raw(server, "GET", path, { "accept-encoding": "br", "if-none-match": `"other", ${tag}` });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(tag);
    expect(again.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(again.headers["content-security-policy"]).toBeDefined();
    const otherEncoding = await raw(server, "GET", path, { "accept-encoding": "gzip", "if-none-match": tag });
    expect(otherEncoding.status).toBe(200);
    expect(otherEncoding.headers.etag).not.toBe(tag);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const get = await raw(server, "GET", "/assets/matrix_sdk_crypto_wasm_bg-9c1d.wasm", { "accept-encoding": "br" });
    const head = await raw(server, "HEAD", "/assets/matrix_sdk_crypto_wasm_bg-9c1d.wasm", { "accept-encoding": "br" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-length"]).toBe(String(get.body.length));
    expect(head.headers["content-type"]).toBe("application/wasm");
    expect(head.headers["content-encoding"]).toBe("br");
    const page = await raw(server, "HEAD", "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-length"]).toBe(String(INDEX.length));
  });

  it("serves nothing outside the folder, no dot files, no folders and no unknown kinds of file", async () => {
    const attempts = [
      "/../package.json", "/../secrets.json", "/%2e%2e/secrets.json", "/assets/..%2f..%2fsecrets.json",
      "/assets/..%2F..%2Fpackage.json", "/assets%2f..%2f..%2fsecrets.json", "/..%5csecrets.json", "/assets/leak.json",
      "/index.html%00.js", "/.env", "/%2eenv", "/assets", "/assets/", "/notes.md", "/missing.js", "/assets/%E0%A4%A.js",
    ];
    for (const path of attempts) {
      const reply = await raw(server, "GET", path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.toString(), path).not.toContain(SECRET);
      expect(reply.headers["content-type"], path).toBe("text/plain; charset=utf-8");
      expect(reply.headers["x-frame-options"], path).toBe("DENY");
    }
    // By URL rules (which browsers apply too) `/%2e%2e/` is `/`: the app's page, not the folder above.
    const up = await raw(server, "GET", "/%2e%2e/");
    expect(up.body.toString()).toBe(INDEX);
  });

  it("takes only GET and HEAD", async () => {
    const reply = await raw(server, "POST", "/");
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD");
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("leaves the API paths and their JSON errors alone", async () => {
    for (const path of ["/_matrix/client/v3/nonexistent", "/_matrix/federation/v1/version", "/.well-known/matrix/server", "/_synapse/admin/v1/nothing"]) {
      const reply = await server.request("GET", path, { headers: { origin: "https://app.element.io" } });
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).toMatchObject({ errcode: "M_UNRECOGNIZED" });
      expect(reply.headers.get("content-security-policy"), path).toBeNull();
    }
    const versions = await server.request("GET", "/_matrix/client/versions", { headers: { origin: "https://app.element.io" } });
    expect(versions.status).toBe(200);
    expect(versions.headers.get("access-control-allow-origin")).toBe("*");
    expect(versions.headers.get("content-security-policy")).toBeNull();
  });
});

it("documents the very headers it sends, for operators who configure a proxy in front", () => {
  const architecture = readFileSync(new URL("../../../docs/ARCHITECTURE.md", import.meta.url), "utf8");
  for (const [name, value] of Object.entries(CLIENT_SECURITY_HEADERS)) expect(architecture).toContain(`${name}: ${value}`);
});

describe("the web app before it is built", () => {
  let base: string;
  let server: TestServer;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "onsafe-client-"));
    mkdirSync(join(base, "dist"));
    server = await TestServer.start({ clientDir: join(base, "dist") });
  });
  afterAll(async () => {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  });

  it("answers / with a 503 page that says how to build it", async () => {
    for (const path of ["/", "/console"]) {
      const reply = await raw(server, "GET", path);
      expect(reply.status, path).toBe(503);
      expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(reply.headers["cache-control"]).toBe("no-store");
      expect(reply.body.toString()).toContain("npm run build -w @onsafe/chat-client");
    }
  });

  it("answers 503 too when the folder is missing altogether, and 404 for files", async () => {
    rmSync(join(base, "dist"), { recursive: true });
    expect((await raw(server, "GET", "/")).status).toBe(503);
    expect((await raw(server, "GET", "/assets/app.js")).status).toBe(404);
  });
});
