import { translator } from "../../words/i18n.ts";
import { CONSOLE_STRINGS, type ConsoleKey } from "./console-strings.ts";

/** The console's translator. */
export const ct = translator<ConsoleKey>(CONSOLE_STRINGS);
