/** For tests that upload signed keys: an ed25519 key pair that signs JSON as Matrix clients do. */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { canonicalJson } from "../src/services/signed-json.ts";

export type Signed = Record<string, unknown> & { signatures?: Record<string, Record<string, string>> };

export class SigningKey {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;
  constructor() {
    const pair = generateKeyPairSync("ed25519");
    this.privateKey = pair.privateKey;
    this.publicKey = Buffer.from(pair.publicKey.export({ format: "jwk" }).x!, "base64url").toString("base64").replace(/=+$/, "");
  }

  sign<T extends Signed>(object: T, userId: string, keyId = `ed25519:${this.publicKey}`): T & Required<Signed> {
    const { signatures, unsigned: _, ...body } = object;
    const signature = sign(null, Buffer.from(canonicalJson(body)), this.privateKey).toString("base64").replace(/=+$/, "");
    return { ...object, signatures: { ...signatures, [userId]: { ...signatures?.[userId], [keyId]: signature } } };
  }
}
