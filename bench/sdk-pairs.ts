/**
 * A few pairs of real matrix-js-sdk clients (Rust crypto) talking in their own
 * encrypted rooms, in a process of their own so their crypto work does not
 * stall the load generator's clock (`bench/scenarios/delivery.ts`). Each pair
 * is two companion accounts of their own (a device of an account that is in
 * the load's rooms would try to decrypt all their traffic); they take turns
 * sending about every `intervalMs` until the parent says "stop", then report
 * their timings over IPC:
 *  - arrival: `sendMessage` called → the encrypted event in the other client's timeline;
 *  - decrypted: `sendMessage` called → decrypted on the other side.
 * Started with `fork` by the scenario; `{ url, sharedSecret, pairs, intervalMs }` in argv[2] as JSON.
 */
import "@onsafe/schema/polyfills";
import { MsgType, RoomEvent } from "matrix-js-sdk";
import { SdkClient } from "../test-support/sdk-client.ts";
import { staffAccount } from "./accounts.ts";

export interface SdkPairsOptions {
  url: string;
  /** The registration shared secret, to make the companion accounts. */
  sharedSecret: string;
  pairs: number;
  intervalMs: number;
}

export interface SdkPairsResult {
  arrival: number[];
  decrypted: number[];
}

const ENCRYPTION = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };

async function main(o: SdkPairsOptions): Promise<void> {
  const clients: SdkClient[] = [];
  let stopping = false;
  process.on("message", (m) => { if (m === "stop") stopping = true; });
  const result: SdkPairsResult = { arrival: [], decrypted: [] };
  try {
    const pairs = await Promise.all(Array.from({ length: o.pairs }, async (_, p) => {
      const a = await SdkClient.start(o.url, await staffAccount(o.url, o.sharedSecret, "companion", `bench-sdk-a${p}`));
      const b = await SdkClient.start(o.url, await staffAccount(o.url, o.sharedSecret, "companion", `bench-sdk-b${p}`));
      clients.push(a, b);
      const { room_id: roomId } = await a.client.createRoom({ invite: [b.userId], initial_state: [ENCRYPTION] });
      await b.waitForRoom(roomId, "invite");
      await b.client.joinRoom(roomId);
      await a.waitFor(() => a.client.getRoom(roomId)?.getMember(b.userId)?.membership === "join", "the other to join");
      // One message each way first: Olm sessions and room keys are set up, not timed (a first message costs a few hundred ms).
      for (const [from, to] of [[a, b], [b, a]] as const) {
        await from.client.sendMessage(roomId, { msgtype: MsgType.Text, body: `warm-up ${p} ${from.userId}` });
        await to.waitForMessage(roomId, `warm-up ${p} ${from.userId}`);
      }
      return { a, b, roomId };
    }));
    process.send!("ready");
    await Promise.all(pairs.map(async ({ a, b, roomId }, p) => {
      for (let i = 0; !stopping; i++) {
        const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
        const body = `sdk ${p}-${i}`;
        let arrived = 0;
        const onTimeline = (event: { getRoomId(): string | undefined; getWireType(): string }) => {
          if (!arrived && event.getRoomId() === roomId && event.getWireType() === "m.room.encrypted") arrived = performance.now();
        };
        to.client.on(RoomEvent.Timeline, onTimeline);
        // From the call: the SDK's promise resolves after the server's answer, which comes after the other side's sync (woken at commit).
        const sentAt = performance.now();
        await from.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
        await to.waitForMessage(roomId, body);
        to.client.off(RoomEvent.Timeline, onTimeline);
        result.arrival.push(arrived - sentAt);
        result.decrypted.push(to.received.get(roomId)!.find((r) => r.body === body)!.at - sentAt);
        await new Promise((r) => setTimeout(r, o.intervalMs * (0.5 + Math.random())));
      }
    }));
    process.send!(result);
  } finally {
    for (const c of clients) c.stop();
  }
}

await main(JSON.parse(process.argv[2]!) as SdkPairsOptions);
process.exit(0);
