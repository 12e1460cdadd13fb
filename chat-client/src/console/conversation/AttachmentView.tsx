import { createResource, createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { decryptAttachment } from "../../matrix/attachment-crypto.ts";
import type { Attachment } from "../../matrix/timeline.ts";
import { ct } from "../shell/ct.ts";

/**
 * An image or video a victim sent, decrypted in memory and shown blurred until
 * the companion chooses to look, to spare staff secondary trauma. Other files
 * are only named.
 */
export function AttachmentView(props: { attachment: Attachment; accessToken: string }) {
  const [revealed, setRevealed] = createSignal(false);
  const visual = props.attachment.kind !== "file";
  const [url] = createResource(async () => {
    if (!visual) return null;
    return URL.createObjectURL(await decryptAttachment(props.attachment.file, props.accessToken, props.attachment.mimetype));
  });
  onCleanup(() => { const u = url(); if (u) URL.revokeObjectURL(u); });
  return (
    <div class={`attachment${revealed() ? " revealed" : ""}`}>
      <Switch>
        <Match when={!visual}>
          <p class="hint">{ct("attachment.file")}</p>
        </Match>
        <Match when={url.error}>
          <p class="error">{ct("attachment.failed")}</p>
        </Match>
        <Match when={url()}>
          {(src) => (
            <>
              <Show when={props.attachment.kind === "image"} fallback={<video src={src()} controls={revealed()} aria-label={ct("attachment.video")} />}>
                <img src={src()} alt={revealed() ? ct("attachment.image") : ct("attachment.hidden")} />
              </Show>
              <button type="button" class="reveal" onClick={() => setRevealed(!revealed())}>
                {revealed() ? ct("attachment.hide") : ct("attachment.show")}
              </button>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
