/**
 * The canonical serialiser: how a correct server writes an application's messages. The reference
 * server uses it for `send` fixtures, and the suite's server checks compare against what it would
 * produce, so it is kept short enough to be obviously right.
 */
import type { Message, SendItem } from './fixture.ts';
import { isDelay } from './pauses.ts';

/** §9.2.5 end-of-line: CRLF, LF or a lone CR, all of which end a line inside a value. */
const LINE_BREAK = /\r\n|\r|\n/;
/** Characters that must never reach an `event` or `id` line (§9.2.5 any-char; NUL: §9.2.6 id). */
const UNSAFE_IN_NAME = /[\r\n]/g;
const UNSAFE_IN_ID = /[\r\n\0]/g;

/** One message as wire text; a message with fields ends with a blank line (§9.2.5 grammar). */
export function serializeMessage(message: Message): string {
  let out = '';
  // Comments: one `:` line per line of the text (§9.2.6 lines starting with a colon).
  if (message.comment !== undefined) {
    for (const line of message.comment.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
  }
  let fields = '';
  // retry: ASCII digits only (§9.2.6 field "retry").
  if (message.retry !== undefined) fields += `retry: ${String(message.retry).replace(/[^0-9]/g, '')}\n`;
  // event and id: CR/LF would end the line and inject fields; NUL makes clients drop an id.
  if (message.event !== undefined) fields += `event: ${message.event.replace(UNSAFE_IN_NAME, '')}\n`;
  if (message.id !== undefined) fields += `id: ${message.id.replace(UNSAFE_IN_ID, '')}\n`;
  // data: one `data:` line per line of the value, splitting on CRLF, LF and lone CR. The space
  // after the colon is always written, so a value that starts with a space keeps it.
  if (message.data !== undefined) for (const line of message.data.split(LINE_BREAK)) fields += `data: ${line}\n`;
  return fields === '' ? out : `${out}${fields}\n`;
}

/** The messages of a `send` list, without its delays, as one string. */
export function serializeAll(items: readonly SendItem[]): string {
  let out = '';
  for (const item of items) if (!isDelay(item)) out += serializeMessage(item);
  return out;
}
