import { decryptAttachment } from "../../matrix/attachment-crypto.ts";
import { at } from "./appointment-strings.ts";
import { createLiveRoom } from "../../matrix/live-room.ts";
import { RoomPane } from "./RoomPane.tsx";
import { saveFile } from "./save-file.ts";
import type { VictimSession } from "./session.ts";
import type { Attachment } from "../../matrix/timeline.ts";
import { VisitCard } from "./VisitCard.tsx";

/** The scheduling bot's room (docs/SCHEDULING.md): its questions as buttons, a confirmed appointment as a card. */
export function AppointmentsPane(props: { session: VictimSession; roomId: string; shown: boolean; tabbed: boolean }) {
  const session = props.session;
  const live = createLiveRoom(session.client, () => props.roomId, session.userId, { promptButtons: true, shown: () => props.shown });
  const answer = (prompt: { promptId: string }, option: { id: string; label: string }) =>
    void session.send(props.roomId, option.label, { prompt_id: prompt.promptId, option_id: option.id });
  const addToCalendar = async (calendar: Attachment) => {
    const blob = await decryptAttachment(calendar.file, session.client.getAccessToken() ?? "", "text/calendar");
    // Discreet, like the file itself: no service name.
    saveFile(blob, "appointment.ics");
  };

  return (
    <RoomPane
      name="appointments"
      live={live}
      label={at("tabs.appointments")}
      shown={props.shown}
      tabbed={props.tabbed}
      onSend={(body) => void session.send(props.roomId, body)}
      onAnswer={answer}
      visitCard={(item) => <VisitCard item={item} onAnswer={answer} onCalendar={addToCalendar} />}
    >
      <p class="hint appointments-intro">{at("appointments.intro")}</p>
    </RoomPane>
  );
}
