/** The homeserver's services wired together over one store; built once per process. */
import type { Config } from "../config.ts";
import { openStore, type Store } from "../storage/database.ts";
import { Writer } from "../storage/writer.ts";
import { AccountData } from "./account-data.ts";
import { Accounts } from "./accounts.ts";
import { Deactivation } from "./deactivation.ts";
import { DeviceLists } from "./device-lists.ts";
import { Directory } from "./directory.ts";
import { Events } from "./events.ts";
import { Filters } from "./filters.ts";
import { KeyBackup } from "./key-backup.ts";
import { Keys } from "./keys.ts";
import { DehydratedDevices } from "./dehydrated-devices.ts";
import { Media } from "./media.ts";
import { Profiles } from "./profiles.ts";
import { Memberships } from "./memberships.ts";
import { Notifier } from "./notifier.ts";
import { Receipts } from "./receipts.ts";
import { Retention } from "./retention.ts";
import { Redactions } from "./redactions.ts";
import { Rooms } from "./rooms.ts";
import { Sync } from "./sync/compute.ts";
import { Timeline } from "./timeline.ts";
import { ToDevice } from "./to-device.ts";
import { Typing } from "./typing.ts";
import { VisitorActivity } from "./visitor-activity.ts";
import { loadSecrets, type Secrets } from "./secrets.ts";
import { PasswordGuesses } from "./password-guesses.ts";
import { ProofOfWork } from "./proof-of-work.ts";
import { Pushers } from "./pushers.ts";
import { PushDelivery } from "./push/delivery.ts";
import { GatewayQueue } from "./push/gateway-queue.ts";

export class Homeserver {
  readonly notifier = new Notifier();
  readonly writer: Writer;
  readonly memberships: Memberships;
  readonly deviceLists: DeviceLists;
  readonly events: Events;
  readonly accounts: Accounts;
  readonly rooms: Rooms;
  readonly typing: Typing;
  readonly timeline: Timeline;
  readonly sync: Sync;
  readonly directory: Directory;
  readonly receipts: Receipts;
  readonly keys: Keys;
  readonly toDevice: ToDevice;
  readonly dehydratedDevices: DehydratedDevices;
  readonly accountData: AccountData;
  readonly filters: Filters;
  readonly keyBackup: KeyBackup;
  readonly media: Media;
  readonly profiles: Profiles;
  readonly redactions: Redactions;
  readonly deactivation: Deactivation;
  readonly activity: VisitorActivity;
  readonly retention: Retention;
  /** Wrong passwords per client address, reserved before each is verified. */
  readonly passwordGuesses: PasswordGuesses;
  /** Challenges for sign-up and for repeated password guesses (docs/PROOF-OF-WORK.md). */
  readonly proofOfWork: ProofOfWork;
  /** Staff consoles' pushers, and delivery of new events to them through the push gateway (docs/CRISIS.md "Push"). */
  readonly pushers: Pushers;
  readonly pushGateway: GatewayQueue;
  private readonly pushDelivery: PushDelivery;

  private constructor(readonly config: Config, readonly store: Store, readonly secrets: Secrets) {
    this.memberships = new Memberships(store);
    this.writer = new Writer(store, (users, rooms, position) => {
      const wake = new Set(users);
      for (const roomId of rooms) for (const userId of this.memberships.presentIn(roomId)) wake.add(userId);
      this.notifier.wake(wake);
      this.pushDelivery.committed(wake, rooms, position);
    });
    this.deviceLists = new DeviceLists(store, this.memberships);
    this.events = new Events(store);
    this.accounts = new Accounts(store, this.writer, this.deviceLists, config.serverName);
    this.typing = new Typing((roomId) => this.notifier.wake(this.memberships.membersOf(roomId, ["join"])));
    this.rooms = new Rooms(store, this.writer, this.events, this.memberships, this.accounts, this.typing, config.serverName);
    this.timeline = new Timeline(store, this.memberships, this.events, () => this.writer.current);
    this.receipts = new Receipts(store, this.writer);
    this.keys = new Keys(store, this.writer, this.deviceLists, this.memberships, config.maxOneTimeKeysPerDevice);
    this.toDevice = new ToDevice(store, this.writer, this.memberships, { maxMessageBytes: config.toDeviceMaxMessageBytes, maxPendingPerDevice: config.toDeviceMaxPendingPerDevice });
    this.dehydratedDevices = new DehydratedDevices(store, this.writer, this.accounts, this.keys);
    this.accountData = new AccountData(store, this.writer, { maxEntries: config.accountDataMaxEntries, maxBytes: config.accountDataMaxBytes });
    this.filters = new Filters(store, this.writer, { maxPerAccount: config.maxFiltersPerAccount, maxBytes: config.filterMaxBytes });
    this.keyBackup = new KeyBackup(store, this.writer);
    this.media = new Media(store, this.writer, config.dataDir, config.serverName, { minFreeBytes: config.mediaMinFreeBytes, adminContact: config.publicBaseUrl });
    this.profiles = new Profiles(store, this.writer, this.accounts, this.rooms);
    this.redactions = new Redactions(store, this.writer, this.events, this.rooms);
    this.deactivation = new Deactivation(store, this.writer, this.memberships, this.rooms, this.deviceLists, this.media);
    this.activity = new VisitorActivity(store, this.writer);
    this.retention = new Retention(store, this.deactivation, config.visitorRetentionDays);
    this.sync = new Sync(this);
    this.pushers = new Pushers(store, this.writer, { gatewayUrl: config.pushGatewayUrl, allowPrivateEndpoints: config.pushAllowPrivateEndpoints });
    this.pushGateway = new GatewayQueue((job) => {
      this.pushers.rejected(job.userId, job.appId, job.pushkey).catch(() => { /* the next rejection deletes it */ });
    });
    this.pushDelivery = new PushDelivery(store, this.pushers, this.memberships, (roomId) => this.rooms.powerLevels(roomId), this.pushGateway, this.writer.current);
    this.directory = new Directory(store);
    this.proofOfWork = new ProofOfWork({ maxNumber: config.powMaxNumber, ttlMs: 10 * 60 * 1000, maxRemembered: config.maxPendingAuth });
    this.passwordGuesses = new PasswordGuesses({
      failuresPerWindow: config.loginFailuresPerWindow,
      windowMs: config.loginFailureWindowMs,
      backoffAfter: config.loginFailuresBeforeBackoff,
      backoffMs: config.loginBackoffMs,
    }, this.proofOfWork);
  }

  static async open(config: Config): Promise<Homeserver> {
    const store = await openStore(config.dataDir);
    return new Homeserver(config, store, loadSecrets(config.dataDir));
  }

  close(): void {
    this.pushDelivery.close();
    this.pushGateway.close();
    this.typing.close();
    this.writer.close();
    this.store.close();
  }
}
