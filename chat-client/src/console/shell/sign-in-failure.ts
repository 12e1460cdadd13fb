/** The sign-in screen's words for why signing in failed. */
import { ct } from "./ct.ts";
import { OpsError } from "./ops-client.ts";
import { si } from "./signin-strings.ts";
import { waitMinutes } from "../../words/wait-minutes.ts";

/**
 * What went wrong, said as it is: only the homeserver's refusal of the
 * password is "wrong username or password" (a crypto store that would not
 * open used to be reported so too, issue 19); too many tries says how long
 * to wait, as the server asks.
 */
export async function signInFailure(caught: unknown): Promise<string> {
  if (caught instanceof OpsError) return caught.status === 403 ? ct("login.notStaff") : ct("error.ops");
  // The session's code itself could not be loaded: the server is out of reach.
  const session = await import("./staff-session.ts").catch(() => null);
  if (!session) return si("login.unreachable");
  if (!(caught instanceof session.SignInError)) return si("login.other", { error: String(caught), errcode: "—" });
  if (caught.stage === "keys") return si("login.keys", { error: caught.message });
  switch (caught.errcode) {
    case "M_FORBIDDEN": return ct("login.failed");
    // Too many tries from this address: the server says how long to wait (it grows with each refusal).
    case "M_LIMIT_EXCEEDED": return si("login.limited", { minutes: waitMinutes(caught.waitAskedMs ?? 0) });
    case "M_USER_DEACTIVATED": return si("login.deactivated");
    case undefined: return si("login.unreachable");
    default: return si("login.other", { error: caught.message, errcode: caught.errcode });
  }
}
