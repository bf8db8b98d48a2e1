/**
 * The wire drawn so that invisible bytes are visible: line ends (CR, LF, CRLF), a BOM, NUL and
 * other control bytes, bytes that are not valid UTF-8, chunk boundaries and pauses. The bytes are
 * read exactly as a client would meet them (§9.2.6: UTF-8 decode, then CR/LF/CRLF end lines).
 */
import type { Wire } from '../../spec/wire.ts';
import { esc } from './html.ts';

/** Longest stretch of one wire drawn byte by byte; the rest is counted. */
const DRAWN_BYTES = 4096;

/** Keeps a U+FEFF, so a BOM is drawn rather than dropped. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const token = (cls: string, label: string, title: string) => `<span class="tok ${cls}" title="${title}">${label}</span>`;

/** Length of the UTF-8 sequence starting at `i`, or 0 when the bytes there are not valid UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > bytes.length) return 0;
  for (let k = 1; k < need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[i + 1]!;
  if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return 0;
  return need;
}

/** One chunk's bytes as HTML; `atStart` marks the first byte of the body (where a BOM is stripped). */
function drawChunk(bytes: Uint8Array, atStart: boolean, nextChunk: Uint8Array | undefined): string {
  let out = '';
  let text = '';
  const flush = () => {
    if (text) out += `<span class="txt">${esc(text)}</span>`;
    text = '';
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0x0d) {
      flush();
      const lf = bytes[i + 1] === 0x0a;
      out += lf ? token('eol', 'CRLF', 'CR LF: one line end') : token('eol', 'CR', i + 1 === bytes.length && nextChunk?.[0] === 0x0a ? 'CR at the end of a chunk; the LF that starts the next chunk completes one CRLF' : 'carriage return: a line end by itself');
      out += '<br>';
      i += lf ? 2 : 1;
    } else if (b === 0x0a) {
      flush();
      out += token('eol', 'LF', 'line feed: a line end') + '<br>';
      i += 1;
    } else if (b < 0x20 || b === 0x7f) {
      flush();
      out += b === 0 ? token('ctl', 'NUL', 'U+0000') : b === 0x09 ? token('ctl', 'TAB', 'U+0009 tab') : token('ctl', `x${b.toString(16).padStart(2, '0')}`, 'control character');
      i += 1;
    } else if (b < 0x80) {
      text += String.fromCharCode(b);
      i += 1;
    } else {
      const n = sequenceLength(bytes, i);
      if (n === 0) {
        flush();
        out += token('bad', `x${b.toString(16).toUpperCase()}`, 'not valid UTF-8 here: decoded as U+FFFD');
        i += 1;
        continue;
      }
      const char = decoder.decode(bytes.subarray(i, i + n));
      if (char === '\ufeff') {
        flush();
        out += token('bom', 'BOM', atStart && i === 0 ? 'byte order mark: the first one is stripped' : 'U+FEFF after the start: an ordinary character');
      } else text += char;
      i += n;
    }
  }
  flush();
  return out;
}

/** A wire (chunks and the pauses before them) as HTML, capped at DRAWN_BYTES. */
export function drawWire(wire: Wire): string {
  const parts: string[] = [];
  let drawn = 0;
  let hidden = 0;
  wire.chunks.forEach((chunk, index) => {
    if (drawn >= DRAWN_BYTES) {
      hidden += chunk.length;
      return;
    }
    const delay = wire.delays[index] ?? 0;
    if (delay > 0) parts.push(token('pause', `pause ${delay} ms`, `the server pauses ${delay} ms`));
    if (index > 0 && delay === 0) parts.push(token('edge', '┊', 'chunk boundary: the bytes after it arrive in a separate read'));
    const shown = chunk.subarray(0, DRAWN_BYTES - drawn);
    hidden += chunk.length - shown.length;
    drawn += shown.length;
    parts.push(drawChunk(shown, index === 0, wire.chunks[index + 1]));
  });
  if (wire.chunks.length === 0) parts.push('<span class="none">(no body)</span>');
  if (hidden > 0) parts.push(`<span class="more">… and ${hidden.toLocaleString('en')} more bytes</span>`);
  const total = wire.chunks.reduce((sum, c) => sum + c.length, 0);
  return `<figure class="wire"><pre>${parts.join('')}</pre><figcaption>${total.toLocaleString('en')} bytes in ${wire.chunks.length} chunk${wire.chunks.length === 1 ? '' : 's'}. Tokens: <b>LF</b>, <b>CR</b>, <b>CRLF</b> line ends; <b>BOM</b> U+FEFF; <b>NUL</b> and other control bytes; <b>xFF</b> a byte that is not UTF-8; <b>┊</b> a chunk boundary; <b>pause</b> the server waits.</figcaption></figure>`;
}
