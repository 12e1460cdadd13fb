/**
 * A staff member's session in the console (a companion, a supervisor or a
 * partner's staff member): a password login whose device and keys persist on
 * this computer (Rust crypto in IndexedDB), so history stays readable after a
 * reload, plus the ops API with the same token.
 */
import { ClientEvent, createClient, MemoryStore, PendingEventOrdering, RoomEvent, RoomMemberEvent, type MatrixClient, type RoomMember } from "matrix-js-sdk";
import { OpsClient } from "./ops-client.ts";

interface StaffLogin {
  userId: string;
  deviceId: string;
  accessToken: string;
}

const KEY = "onsafe.staff";
const CRYPTO_DB_PREFIX = "onsafe-staff";

export class StaffSession {
  readonly ops: OpsClient;

  private constructor(readonly client: MatrixClient, readonly login: StaffLogin) {
    this.ops = new OpsClient(login.accessToken);
  }

  static async signIn(username: string, password: string): Promise<StaffSession> {
    const response = await createClient({ baseUrl: location.origin, store: new MemoryStore() }).loginRequest({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: username },
      password,
      initial_device_display_name: "onsafe console",
    });
    const login = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    localStorage.setItem(KEY, JSON.stringify(login));
    return StaffSession.open(login);
  }

  /** The session kept on this computer, if any. */
  static async resume(): Promise<StaffSession | null> {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    try {
      return await StaffSession.open(JSON.parse(raw) as StaffLogin);
    } catch {
      localStorage.removeItem(KEY);
      return null;
    }
  }

  private static async open(login: StaffLogin): Promise<StaffSession> {
    const client = createClient({ baseUrl: location.origin, store: new MemoryStore(), ...login, timelineSupport: true });
    await client.initRustCrypto({ cryptoDatabasePrefix: CRYPTO_DB_PREFIX });
    // Detached: unsent messages are kept apart, so the chat can show them with "Retry" (chat/room-view.ts).
    await client.startClient({ initialSyncLimit: 30, lazyLoadMembers: true, pendingEventOrdering: PendingEventOrdering.Detached });
    return new StaffSession(client, login);
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

  /** Ends the device on the server and removes it from this computer, keys included. */
  async signOut(): Promise<void> {
    await this.client.logout(true).catch(() => undefined);
    await this.client.clearStores().catch(() => undefined);
    localStorage.removeItem(KEY);
  }
}
