/**
 * Decoded text split into lines (WHATWG HTML §9.2.6: a line ends with CRLF, with an LF not
 * preceded by CR, or with a CR not followed by LF), each handed to the field steps
 * (field-steps.ts). The interpreter's path for text it decoded in JS (spec/utf8.ts): raw fields
 * wanted, a line too long to wait as bytes, or no WebAssembly.
 */
import type { EventStream } from './field-steps.ts';

const LF = 0x0a;

/** The lines of s, after whatever earlier text left unfinished. */
export function pushText(st: EventStream, s: string): void {
  let pos = 0;
  if (st.crEndedChunk && s.length > 0) {
    st.crEndedChunk = false;
    // A CR at the end of the previous chunk already ended its line; an LF here is the second
    // half of that CRLF and must not make an empty line.
    if (s.charCodeAt(0) === LF) pos = 1;
    else st.observe({ kind: 'lone-cr', line: st.line });
  }
  pushLines(st, s, pos, s.indexOf('\r', pos));
}

function endLine(st: EventStream, s: string, start: number, end: number): void {
  if (st.partial === '') return st.processLine(s, start, end);
  const whole = st.partial + s.slice(start, end);
  st.partial = '';
  st.processLine(whole, 0, whole.length);
}

/** Keeps s[start, length) — the start of a line that ends in a later chunk. */
function keepPartial(st: EventStream, s: string, start: number): void {
  if (st.partial.length + s.length - start > st.maxLineLength) {
    st.stopped = true;
    st.partial = '';
    st.observe({ kind: 'line-too-long', line: st.line + 1, limit: st.maxLineLength });
    return;
  }
  st.partial += start === 0 ? s : s.slice(start);
}

/** The lines of s from pos on, any line ends; nextCR is the first CR at or after pos. */
function pushLines(st: EventStream, s: string, pos: number, nextCR: number): void {
  const length = s.length;
  let nextLF = s.indexOf('\n', pos);
  while (pos < length) {
    if (nextLF !== -1 && nextLF < pos) nextLF = s.indexOf('\n', pos);
    if (nextCR !== -1 && nextCR < pos) nextCR = s.indexOf('\r', pos);
    if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
      endLine(st, s, pos, nextCR);
      pos = nextCR + 1;
      if (pos === length) {
        // The line is complete now (no waiting for the next byte), but an LF may follow.
        st.crEndedChunk = true;
      } else if (s.charCodeAt(pos) === LF) {
        pos++;
      } else {
        st.observe({ kind: 'lone-cr', line: st.line });
      }
    } else if (nextLF !== -1) {
      endLine(st, s, pos, nextLF);
      pos = nextLF + 1;
    } else {
      return keepPartial(st, s, pos);
    }
    if (st.stopped) return;
  }
}
