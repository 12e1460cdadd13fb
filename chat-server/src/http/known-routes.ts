/**
 * Whether a method and path name a route of the app. Unknown endpoints must
 * answer 404 M_UNRECOGNIZED even without a token (clients such as Element
 * probe `/auth_metadata` before logging in), so the auth gate asks this first.
 */
export interface RouteLike {
  method: string;
  path: string;
}

export function routeMatcher(routes: RouteLike[]): (method: string, path: string) => boolean {
  const compiled = routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, pattern: new RegExp(`^${toPattern(r.path)}/?$`) }));
  return (method, path) => {
    const m = method === "HEAD" ? "GET" : method;
    return compiled.some((r) => r.method === m && r.pattern.test(path));
  };
}

function toPattern(path: string): string {
  return path.split("/").map((segment, i) => {
    if (i === 0) return "";
    if (segment === "*") return "(?:/.*)?";
    if (segment.startsWith(":")) return segment.endsWith("?") ? "(?:/[^/]*)?" : "/[^/]+";
    return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
  }).join("");
}
