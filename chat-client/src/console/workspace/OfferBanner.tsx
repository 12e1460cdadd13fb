import type { QueueEntryJson } from "@onsafe/schema/ops-api";
import { For, Show } from "solid-js";
import { ct } from "../shell/ct.ts";
import { QueueItem } from "./QueueItem.tsx";
import { countdown } from "./time-words.ts";
import { wt } from "./workspace-strings.ts";

/**
 * The cases offered to me, in a banner above every view (issue 19 item 8: an offer shown only as
 * "(1)" in the title was missed): Accept, Decline, and the time left before the offer moves on
 * (`offer_expires_at`, read against this computer's clock). A colleague's transfer says whose it is.
 */
export function OfferBanner(props: {
  offers: QueueEntryJson[];
  now: number;
  nameOf: (userId: string) => string;
  onAccept: (entry: QueueEntryJson) => void;
  onDecline: (entry: QueueEntryJson) => void;
}) {
  return (
    <>
      {/* Said once by screen readers when the number of offers changes; the banner itself is not a live region (its countdown ticks). */}
      <p class="visually-hidden" role="status">{props.offers.length > 0 ? wt("offer.count", { count: props.offers.length }) : ""}</p>
      <Show when={props.offers.length > 0}>
        <section class="offer-banner" aria-labelledby="offers-title">
          <h2 id="offers-title">{ct("offers.title")}</h2>
          <ul class="cases">
            {/* By id: a poll's new objects must not redraw the item (a focused Accept would lose the focus). */}
            <For each={props.offers.map((o) => o.id)}>
              {(id) => (
                <Show when={props.offers.find((o) => o.id === id)}>
                  {(entry) => {
                    const left = () => (entry().offer_expires_at ?? 0) - props.now;
                    const note = (
                      <>
                        <Show when={entry().transfer_from}>{(from) => <strong class="transfer-from">{wt("offer.transferFrom", { name: props.nameOf(from()) })}</strong>}</Show>
                        <Show when={entry().offer_expires_at !== null}>
                          <span class="countdown" role="timer">{left() > 0 ? wt("offer.left", { time: countdown(left()) }) : wt("offer.expiring")}</span>
                        </Show>
                      </>
                    );
                    return (
                      <QueueItem entry={entry()} note={note}>
                        <button type="button" class="primary" onClick={() => props.onAccept(entry())}>{ct("offers.accept")}</button>
                        <button type="button" onClick={() => props.onDecline(entry())}>{ct("offers.decline")}</button>
                      </QueueItem>
                    );
                  }}
                </Show>
              )}
            </For>
          </ul>
        </section>
      </Show>
    </>
  );
}
