/**
 * The web app at `/`: the files Vite built into `chat-client/dist`, each with
 * the security headers below, its precompressed variant when the browser takes
 * it, a year of caching for hashed assets and none for pages. Mounted after
 * every API route; what those prefixes leave unanswered keeps their JSON 404.
 */
import { extname, join } from "node:path";
import { Readable } from "node:stream";
import type { Context } from "hono";
import { fileSegments, type OpenFile, openInside, realDir } from "./client-files.ts";
import type { AppEnv } from "./env.ts";

/** Sent with every response of the web app (pages, assets, its 404s); docs/ARCHITECTURE.md "Web app delivery". */
export const CLIENT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": [
    "default-src 'none'",
    // The end-to-end crypto is WebAssembly; nothing else may be evaluated.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; "),
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};

/** Only these kinds of file are served; anything else in the folder answers 404. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  // WebAssembly.instantiateStreaming refuses the crypto module under any other type.
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
};

/** The variants the client build writes beside each file, best first. */
const ENCODINGS = [{ coding: "br", suffix: ".br" }, { coding: "gzip", suffix: ".gz" }];
/** Vite puts content-hashed files here: a new build gives new names. */
const HASHED_ASSETS = "/assets/";
/** Built from `chat-client/console-sw.js`; its scope is `/console/`. */
const CONSOLE_SERVICE_WORKER = "/console/sw.js";
const API_PATHS = /^\/(?:_matrix|_synapse|_onsafe|\.well-known)(?:\/|$)/;
const NOT_BUILT = "The onsafe web app is not built yet.\n\n"
  + "Build it with `npm run build -w @onsafe/chat-client` (`npm start` does this when needed), then reload this page.\n";

interface Chosen extends OpenFile {
  coding: string | null;
}

export function clientApp(clientDir: string) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    if (API_PATHS.test(c.req.path)) return c.notFound();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return text(405, "Method not allowed\n", { Allow: "GET, HEAD" });
    const pathname = new URL(c.req.url).pathname.replace(/\/+$/, "");
    const pages = pageFiles(pathname);
    const segments = pages ? null : fileSegments(pathname);
    const type = pages ? CONTENT_TYPES[".html"] : segments && CONTENT_TYPES[extname(segments.at(-1)!)];
    const missing = () => pages ? text(503, NOT_BUILT) : text(404, "Not found\n");
    const root = await realDir(clientDir);
    if (!type || !root) return missing();
    for (const candidate of pages ?? [segments!]) {
      const file = await openBest(root, join(root, ...candidate), c.req.header("accept-encoding"));
      if (file) return respond(c, pathname, type, file);
    }
    return missing();
  };
}

/** The page files for the app's own routes, first found wins; null for any other path. */
function pageFiles(pathname: string): string[][] | null {
  if (pathname === "") return [["index.html"]];
  // The console's service worker (docs/CRISIS.md "Push") is a file under the console's path, never its page.
  if (pathname === CONSOLE_SERVICE_WORKER) return null;
  // The companion console has its own page once it is built; until then the app's.
  if (pathname === "/console" || pathname.startsWith("/console/")) return [["console.html"], ["index.html"]];
  return null;
}

async function openBest(root: string, path: string, acceptEncoding: string | undefined): Promise<Chosen | null> {
  const plain = await openInside(root, path);
  if (!plain) return null;
  for (const { coding, suffix } of ENCODINGS) {
    if (!accepts(acceptEncoding, coding)) continue;
    const variant = await openInside(root, path + suffix);
    if (!variant) continue;
    await plain.handle.close();
    return { ...variant, coding };
  }
  return { ...plain, coding: null };
}

async function respond(c: Context<AppEnv>, pathname: string, type: string, file: Chosen): Promise<Response> {
  const page = type.startsWith("text/html");
  const headers: Record<string, string> = {
    ...CLIENT_SECURITY_HEADERS,
    Vary: "Accept-Encoding",
    // Pages are never kept, so a new build (or a shared device) never shows an old one.
    "Cache-Control": page ? "no-store" : pathname.startsWith(HASHED_ASSETS) ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (!page) {
    headers.ETag = etag(file);
    if (matches(c.req.header("if-none-match"), headers.ETag)) {
      await file.handle.close();
      return new Response(null, { status: 304, headers });
    }
  }
  headers["Content-Type"] = type;
  headers["Content-Length"] = String(file.size);
  if (file.coding) headers["Content-Encoding"] = file.coding;
  if (c.req.method === "HEAD") {
    await file.handle.close();
    return new Response(null, { status: 200, headers });
  }
  // The stream closes the file when it ends or the client goes away.
  const body = Readable.toWeb(file.handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

/** Size and mtime name a version cheaply; each encoding is its own representation. */
function etag(file: Chosen): string {
  return `"${file.size.toString(36)}-${Math.trunc(file.mtimeMs).toString(36)}${file.coding ? `-${file.coding}` : ""}"`;
}

function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const candidate = t.trim();
    return candidate === "*" || candidate.replace(/^W\//, "") === tag;
  });
}

/** Whether an Accept-Encoding header takes `coding` (listed without `q=0`). */
function accepts(acceptEncoding: string | undefined, coding: string): boolean {
  return (acceptEncoding ?? "").split(",").some((entry) => {
    const [name, ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    if (name !== coding) return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function text(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { ...CLIENT_SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra },
  });
}
