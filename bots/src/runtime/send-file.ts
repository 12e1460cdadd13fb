/**
 * Sends a file into an encrypted room as Matrix clients do (Client-Server API
 * "Sending encrypted attachments"): the ciphertext to the media repository,
 * the key and hash in the (itself encrypted) `m.file` event. The transaction
 * id comes from what the file answers, so a repeat after a crash returns the
 * first event; the repeat's upload is left unused in the media repository.
 */
import { type MatrixClient, MsgType } from "matrix-js-sdk";
import { transactionId } from "./send.ts";
import { encryptFile } from "./encrypted-file.ts";

export interface OutgoingFile {
  name: string;
  mimetype: string;
  bytes: Uint8Array;
  /** What clients without a preview show. */
  body: string;
  /** Extra content fields, e.g. `org.onsafe.referral` so an app can tell what the file belongs to. */
  fields?: Record<string, unknown>;
}

/** Returns the `m.file` event's id. */
export async function sendEncryptedFile(client: MatrixClient, roomId: string, file: OutgoingFile, answering: string): Promise<string> {
  const { ciphertext, file: keys } = encryptFile(file.bytes);
  const { content_uri: url } = await client.uploadContent(ciphertext, { type: "application/octet-stream", includeFilename: false });
  const { event_id } = await client.sendMessage(roomId, {
    msgtype: MsgType.File,
    body: file.body,
    filename: file.name,
    info: { mimetype: file.mimetype, size: file.bytes.length },
    file: { ...keys, url },
    ...file.fields,
  } as never, transactionId(roomId, answering, 0));
  return event_id;
}
