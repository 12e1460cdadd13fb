/**
 * The app will sign ledger entries with the Matrix device's own ed25519 key
 * through matrix-sdk-crypto-wasm's `OlmMachine.sign` (docs/EVIDENCE.md
 * "Signing in the browser"). This pins that the real OlmMachine (the version
 * matrix-js-sdk loads) signs the UTF-8 bytes of the text it is given with the
 * device key, in the `Signatures.asJSON()` shape the plan reads, so its
 * signatures verify in `verifyLedger` against the device's published key.
 */
import * as wasm from "@matrix-org/matrix-sdk-crypto-wasm";
import { beforeAll, expect, it } from "vitest";
import { type UnsignedLedgerEntry, entryHash, signLedgerEntry, verifyLedger } from "./ledger.ts";

const USER = "@visitor-7f3a:onsafe.test";
const DEVICE = "OLMDEVICE1";

beforeAll(async () => {
  await wasm.initAsync();
});

it("entries signed by the device's OlmMachine verify against its ed25519 identity key, and not against another device's", async () => {
  const machine = await wasm.OlmMachine.initialize(new wasm.UserId(USER), new wasm.DeviceId(DEVICE));
  const other = await wasm.OlmMachine.initialize(new wasm.UserId(USER), new wasm.DeviceId("OTHERDEV"));
  // What the app's adapter does: sign our canonical text, read the device key's signature from the JSON.
  const sign = async (text: string) => JSON.parse((await machine.sign(text)).asJSON())[USER][`ed25519:${DEVICE}`] as string;
  const base = { added_by: USER, device_id: DEVICE };
  // Non-ASCII and a control character: the signed bytes must be the UTF-8 of the canonical text, escapes as the spec's.
  const first = await signLedgerEntry({ ...base, kind: "note", note: "증거 메모 \u0001 😀", sequence: 1, prev: null } as UnsignedLedgerEntry, sign);
  const second = await signLedgerEntry(
    { ...base, kind: "link", url: "https://example.social/p/1", sequence: 2, prev: entryHash(first) } as UnsignedLedgerEntry,
    sign,
  );
  const key = machine.identityKeys.ed25519.toBase64();
  const result = await verifyLedger([first, second], { [`${USER}|${DEVICE}`]: key });
  expect(result.entries).toEqual([
    { position: 1, ok: true, problems: [] },
    { position: 2, ok: true, problems: [] },
  ]);
  const wrong = await verifyLedger([first, second], { [`${USER}|${DEVICE}`]: other.identityKeys.ed25519.toBase64() });
  expect(wrong.entries.map((e) => e.problems)).toEqual([["signature"], ["signature"]]);
  machine.close();
  other.close();
});
