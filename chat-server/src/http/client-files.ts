/**
 * Files of the built web app, opened only if they really lie inside its
 * folder: URL segments are decoded one by one and refused if they could climb
 * out (`..`, an encoded `/`, NUL, dot files), and the real path (symlinks
 * resolved) must still be inside. Opening before answering keeps the size,
 * the mtime and the bytes sent from the same file even during a rebuild.
 */
import { constants } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import { sep } from "node:path";

export interface OpenFile {
  handle: FileHandle;
  size: number;
  mtimeMs: number;
}

/** The file path segments a URL path names, or null if it names nothing servable. */
export function fileSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.replace(/^\/+/, "").split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === "" || segment.startsWith(".") || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/** The folder's real path, or null while it does not exist. */
export async function realDir(dir: string): Promise<string | null> {
  return realpath(dir).catch(() => null);
}

/** Opens a regular file at `path` if its real path is inside `root` (itself a real path); null otherwise. */
export async function openInside(root: string, path: string): Promise<OpenFile | null> {
  const real = await realpath(path).catch(() => null);
  if (!real || !real.startsWith(root + sep)) return null;
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
  if (!handle) return null;
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, size: stats.size, mtimeMs: stats.mtimeMs };
}
