/** The triage bot's conversation logic: pure functions from messages to replies, no I/O. */
export { startTriage, handleMessage, languageTold, DONE, type TriageState, type TriageStep, type TriageInput, type ServiceNow } from "./machine.ts";
export { triageResult, PRIORITY } from "./result.ts";
export { queueNotice, handoffIntro, unreadableMessage, chatClosedNotice, afterHours } from "./notices.ts";
export { appOpening } from "./opening.ts";
export { triageSummary, type TriageNote } from "./summary.ts";
export { afterReturningAnswer, readReturningAnswer, returningQuestion, type ReturningAnswer } from "./returning.ts";
