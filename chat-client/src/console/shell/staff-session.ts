/**
 * A staff member's session in the console (a companion, a supervisor or a
 * partner's staff member): a password login whose device and keys persist on
 * this computer (Rust crypto in IndexedDB), so history stays readable after a
 * reload, plus the ops API with the same token. Each sign-in is a new device
 * with a crypto store of its own: whatever an earlier sign-in left on this
 * computer is removed first (docs/CONSOLE.md "Sign-in and keys").
 */
import { ClientEvent, createClient, MatrixError, MemoryStore, PendingEventOrdering, RoomEvent, RoomMemberEvent, type MatrixClient, type RoomMember } from "matrix-js-sdk";
import { loginWithProof, waitAsked } from "../../matrix/proof-of-work.ts";
import { OpsClient } from "./ops-client.ts";
import { SecretKeyCache } from "./staff-keys.ts";

interface StaffLogin {
  userId: string;
  deviceId: string;
  accessToken: string;
  /** "Later" was chosen on the recovery key screen for this sign-in: not asked again until the next one. */
  recoveryLater?: boolean;
}

/** What this computer keeps for a signed-in staff member: the login, and the console's own settings and drafts. */
const KEY = "onsafe.staff";
/** localStorage keys the console writes for the signed-in staff member; all are removed at sign-out. */
export const CONSOLE_STORAGE_PREFIX = "onsafe.console.";
const CRYPTO_DB_PREFIX = "onsafe-staff";

/** Which step of signing in failed, so the sign-in screen can say what really happened. */
export class SignInError extends Error {
  constructor(readonly stage: "login" | "keys", readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }

  get errcode(): string | undefined {
    return this.reason instanceof MatrixError ? this.reason.errcode : undefined;
  }

  /** How long the server asks to wait before the next try (429), or null. */
  get waitAskedMs(): number | null {
    return waitAsked(this.reason);
  }
}

export class StaffSession {
  readonly ops: OpsClient;

  private constructor(readonly client: MatrixClient, readonly login: StaffLogin, readonly secretKeys: SecretKeyCache) {
    this.ops = new OpsClient(login.accessToken);
  }

  static async signIn(username: string, password: string): Promise<StaffSession> {
    let response;
    try {
      // After a few wrong passwords from this address the server asks for proof of work: solved and sent again at once.
      response = await loginWithProof(createClient({ baseUrl: location.origin, store: new MemoryStore() }), {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: username },
        password,
        initial_device_display_name: "onsafe console",
      });
    } catch (error) {
      throw new SignInError("login", error);
    }
    const login = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    // A new device: any crypto store here is an earlier sign-in's (one that was not signed out, or
    // signed out by an older console), which initRustCrypto refuses for another device.
    await forgetThisComputer();
    localStorage.setItem(KEY, JSON.stringify(login));
    try {
      return await StaffSession.open(login);
    } catch (error) {
      // The login itself worked: end that device again rather than leave it behind.
      await endDevice(login.accessToken);
      await forgetThisComputer();
      throw new SignInError("keys", error);
    }
  }

  /** The session kept on this computer, if any. */
  static async resume(): Promise<StaffSession | null> {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    try {
      return await StaffSession.open(JSON.parse(raw) as StaffLogin);
    } catch {
      await forgetThisComputer();
      return null;
    }
  }

  private static async open(login: StaffLogin): Promise<StaffSession> {
    const secretKeys = new SecretKeyCache();
    const client = createClient({
      baseUrl: location.origin,
      store: new MemoryStore(),
      userId: login.userId,
      deviceId: login.deviceId,
      accessToken: login.accessToken,
      timelineSupport: true,
      cryptoCallbacks: secretKeys.callbacks(),
    });
    await client.initRustCrypto({ cryptoDatabasePrefix: CRYPTO_DB_PREFIX });
    // Detached: unsent messages are kept apart, so the chat can show them with "Retry" (matrix/room-view.ts).
    await client.startClient({ initialSyncLimit: 30, lazyLoadMembers: true, pendingEventOrdering: PendingEventOrdering.Detached });
    return new StaffSession(client, login, secretKeys);
  }

  /** Remembers "Later" on the recovery key screen until the next sign-in. */
  putOffRecovery(): void {
    this.login.recoveryLater = true;
    localStorage.setItem(KEY, JSON.stringify(this.login));
  }

  /** Joins a case's room once the bot's invite has reached this client (up to `timeoutMs`). */
  async joinWhenInvited(roomId: string, timeoutMs = 15_000): Promise<void> {
    const membership = () => this.client.getRoom(roomId)?.getMyMembership();
    if (membership() === "join") return;
    if (membership() !== "invite") {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (membership() !== "invite") return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => { cleanup(); reject(new Error("no invite arrived")); }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          this.client.off(ClientEvent.Room, check);
          this.client.off(RoomEvent.MyMembership, check);
        };
        this.client.on(ClientEvent.Room, check);
        this.client.on(RoomEvent.MyMembership, check);
      });
    }
    await this.client.joinRoom(roomId);
  }

  /** Resolves once `userId` has joined `roomId` (a colleague taking over a transferred case). */
  waitForJoin(roomId: string, userId: string, timeoutMs = 30 * 60_000): Promise<void> {
    if (this.client.getRoom(roomId)?.getMember(userId)?.membership === "join") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onMembership = (_event: unknown, member: RoomMember) => {
        if (member.roomId !== roomId || member.userId !== userId || member.membership !== "join") return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`${userId} did not join`)); }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.client.off(RoomMemberEvent.Membership, onMembership);
      };
      this.client.on(RoomMemberEvent.Membership, onMembership);
    });
  }

  /**
   * Ends the device on the server and removes everything the console kept on
   * this computer: the login, the console's settings and drafts, and the
   * crypto store with this device's keys.
   */
  async signOut(): Promise<void> {
    this.secretKeys.clear();
    await this.client.logout(true).catch(() => undefined);
    // Crisis pages (console/crisis/push-pages.ts) belonged to that device: its pusher is gone, and so goes the worker.
    await navigator.serviceWorker?.getRegistration("/console/").then((r) => r?.unregister()).catch(() => undefined);
    await forgetThisComputer();
  }
}

/** Removes what any staff sign-in left in this browser (never the victim app's own data on the same origin). */
async function forgetThisComputer(): Promise<void> {
  for (const key of Object.keys(localStorage)) {
    if (key === KEY || key.startsWith(CONSOLE_STORAGE_PREFIX)) localStorage.removeItem(key);
  }
  const databases = (await indexedDB.databases?.()) ?? [];
  const names = databases.map((db) => db.name ?? "").filter((name) => name.startsWith(`${CRYPTO_DB_PREFIX}::`));
  // Older browsers without databases(): the two names the SDK uses.
  if (!indexedDB.databases) names.push(`${CRYPTO_DB_PREFIX}::matrix-sdk-crypto`, `${CRYPTO_DB_PREFIX}::matrix-sdk-crypto-meta`);
  await Promise.all(names.map(deleteDatabase));
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
    // Blocked by a connection still open (another console tab): the delete happens once it closes.
    request.onblocked = () => setTimeout(resolve, 3000);
  });
}

async function endDevice(accessToken: string): Promise<void> {
  await fetch("/_matrix/client/v3/logout", { method: "POST", headers: { authorization: `Bearer ${accessToken}` } }).catch(() => undefined);
}
