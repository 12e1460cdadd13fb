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
  const compiled = compile(routes);
  return (method, path) => {
    const m = method === "HEAD" ? "GET" : method;
    return compiled.some((r) => r.method === m && r.pattern.test(path));
  };
}

/** The methods that have a route at a path (none for an unknown path): a wrong method is 405, not 404. */
export function routeMethods(routes: RouteLike[]): (path: string) => string[] {
  const compiled = compile(routes);
  return (path) => [...new Set(compiled.filter((r) => r.pattern.test(path)).map((r) => r.method))];
}

function compile(routes: RouteLike[]) {
  return routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, pattern: new RegExp(`^${toPattern(r.path)}/?$`) }));
}

function toPattern(path: string): string {
  return path.split("/").map((segment, i) => {
    if (i === 0) return "";
    if (segment === "*") return "(?:/.*)?";
    if (segment.startsWith(":")) return segment.endsWith("?") ? "(?:/[^/]*)?" : "/[^/]+";
    return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
  }).join("");
}
