/**
 * Whole lines as spec/line-scan.ts (WebAssembly) reports them, applied to the stream's buffers:
 * WHATWG HTML §9.2.6 for the lines nearly every stream carries (`data:`, `id:`, `event:`,
 * comments, blank lines, and a simple event as one record), with the buffers in locals and
 * dispatch inline; any other line goes through the field steps as written (field-steps.ts).
 */
import type { EventStream } from './field-steps.ts';
import type { SseEvent } from './interpreter-api.ts';
import { BLANK, COMMENT, CR_AT_END, CR_FLAGS, DATA, EVENT, EVENT_LINES, ID, KIND, LINE_COUNT_SHIFT, LONE_CR } from './line-scan.ts';

/** Stores the buffers that applyLines keeps in locals, before anything else may read them. */
function store(st: EventStream, lines: number, buffer: string | null, type: string, id: string, fields: number): void {
  st.line = lines;
  st.data = buffer;
  st.eventType = type;
  st.idBuffer = id;
  st.pendingFields = fields;
}

/** Applies scanned lines of the text s: `count` records from records[first] (see line-scan.ts). */
export function applyLines(st: EventStream, s: string, records: Int32Array, first: number, count: number): void {
  let r = first;
  const last = first + 4 * count;
  let lines = st.line;
  let buffer = st.data;
  let type = st.eventType;
  let id = st.idBuffer;
  let fields = st.pendingFields;
  for (; r < last; r += 4) {
    const flags = records[r]!;
    const kind = flags & KIND;
    const end = records[r + 3]!;
    if (kind === EVENT_LINES) {
      // A simple event's fields (records of eight); its blank line dispatches below.
      lines += (flags >>> LINE_COUNT_SHIFT) - 1;
      const dataAt = records[r + 1]!;
      if (dataAt !== -1) {
        const value = s.slice(dataAt, records[r + 2]!);
        buffer = buffer === null ? value : buffer + '\n' + value;
      }
      if (end !== -1) type = s.slice(end, records[r + 4]!);
      const idAt = records[r + 5]!;
      if (idAt !== -1) id = s.slice(idAt, records[r + 6]!);
      r += 4;
    }
    if (kind === DATA) {
      lines++;
      fields++;
      const value = s.slice(records[r + 2]!, end);
      buffer = buffer === null ? value : buffer + '\n' + value;
    } else if (kind === BLANK || kind === EVENT_LINES) {
      // A blank line: dispatch (steps as in EventStream.dispatch).
      lines++;
      st.lastEventId = id;
      fields = 0;
      if (buffer !== null) {
        const event: SseEvent = { type: type === '' ? 'message' : type, data: buffer, lastEventId: id };
        buffer = null;
        type = '';
        if (st.onEvent !== undefined) {
          store(st, lines, buffer, type, id, fields);
          st.onEvent(event);
          if (st.stopped) return;
        }
      } else {
        type = '';
      }
    } else if (kind === EVENT) {
      lines++;
      fields++;
      type = s.slice(records[r + 2]!, end);
    } else if (kind === COMMENT) {
      lines++;
    } else if (kind === ID) {
      lines++;
      fields++;
      id = s.slice(records[r + 2]!, end);
    } else {
      store(st, lines, buffer, type, id, fields);
      st.processLine(s, records[r + 1]!, end);
      if (st.stopped) return;
      lines = st.line;
      buffer = st.data;
      type = st.eventType;
      id = st.idBuffer;
      fields = st.pendingFields;
    }
    if ((flags & CR_FLAGS) !== 0) {
      store(st, lines, buffer, type, id, fields);
      // A lone CR is observed once its line is read; a CR that ends the bytes may meet its LF later.
      if (flags & LONE_CR) st.observe({ kind: 'lone-cr', line: st.line });
      else if (flags & CR_AT_END) st.crEndedChunk = true;
    }
  }
  store(st, lines, buffer, type, id, fields);
}
