/**
 * The requirement catalogue: every rule the project tests, with a stable id that reads like a path
 * (select by prefix: `server.resume`), its level, where in WHATWG HTML §9.2 it comes from, and who
 * it binds. Fixtures and checks name these ids; a fixture naming an id not listed here fails to
 * load, so the catalogue is the project's contract and the only place a rule is worded.
 *
 * `basis` says why the rule holds: `spec` — normative text or grammar; `interop` — needed for
 * real clients to work although the spec does not say MUST (each such row cites its section of
 * spec/INTEROP.md); `contract` — a promise the fixture makes (for example that the server resumes
 * after Last-Event-ID; spec/INTEROP.md#resume-contract).
 */

export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Binds = 'server' | 'client' | 'both';

export interface Requirement {
  id: string;
  level: Level;
  binds: Binds;
  basis: 'spec' | 'interop' | 'contract';
  /** WHATWG section and step, e.g. "§9.2.6 dispatch step 2". */
  section: string;
  /**
   * Fragment of https://html.spec.whatwg.org/multipage/server-sent-events.html, or the whole URL
   * of an anchor in another standard (Fetch, for CORS).
   */
  anchor: string;
  text: string;
}

export const SPEC_URL = 'https://html.spec.whatwg.org/multipage/server-sent-events.html';

const INTERPRET = 'event-stream-interpretation';
const GRAMMAR = 'parsing-an-event-stream';
const IFACE = 'the-eventsource-interface';
const MODEL = 'sse-processing-model';
const LEID = 'the-last-event-id-header';
const AUTHORING = 'authoring-notes';
/** Fetch: where a browser decides whether a cross-origin response may be read. */
const CORS_CHECK = 'https://fetch.spec.whatwg.org/#cors-check';
const CORS_PREFLIGHT = 'https://fetch.spec.whatwg.org/#cors-preflight-fetch';

type Row = [id: string, level: Level, binds: Binds, basis: Requirement['basis'], section: string, anchor: string, text: string];

// prettier-ignore
const rows: Row[] = [
  // ── Decoding and line splitting (§9.2.6 opening paragraphs) ─────────────────────────────
  ['parse.decode.utf8', 'MUST', 'client', 'spec', '§9.2.6 ¶1', INTERPRET, 'The body is decoded as UTF-8 whatever the charset parameter says; invalid or truncated sequences become U+FFFD.'],
  ['parse.decode.streaming', 'MUST', 'client', 'spec', '§9.2.6 ¶1', INTERPRET, 'Decoding is streaming: a code point whose bytes span network chunks decodes as one character.'],
  ['parse.bom.strip-one', 'MUST', 'client', 'spec', '§9.2.6 ¶1, §9.2.5 bom', INTERPRET, 'Exactly one leading U+FEFF BOM is removed per response; any later U+FEFF is an ordinary character.'],
  ['parse.eol.crlf', 'MUST', 'client', 'spec', '§9.2.5 end-of-line, §9.2.6', GRAMMAR, 'A CRLF pair ends a line.'],
  ['parse.eol.lf', 'MUST', 'client', 'spec', '§9.2.5 end-of-line, §9.2.6', GRAMMAR, 'An LF not preceded by CR ends a line.'],
  ['parse.eol.lone-cr', 'MUST', 'client', 'spec', '§9.2.5 end-of-line, §9.2.6', GRAMMAR, 'A CR not followed by LF ends a line, at once, without waiting for the next byte.'],
  ['parse.eol.crlf-split', 'MUST', 'client', 'spec', '§9.2.6', INTERPRET, 'A CRLF split across chunks is one line end, not two.'],
  ['parse.eol.only-cr-lf', 'MUST', 'client', 'spec', '§9.2.5 any-char', GRAMMAR, 'Only CR and LF end lines; U+2028, U+0085, VT and FF are ordinary characters.'],
  // ── Line processing (§9.2.6) ───────────────────────────────────────────────────────────
  ['parse.line.blank-dispatches', 'MUST', 'client', 'spec', '§9.2.6 "If the line is empty"', INTERPRET, 'A blank line dispatches the event.'],
  ['parse.line.comment', 'MUST', 'client', 'spec', '§9.2.6 "starts with a U+003A COLON"', INTERPRET, 'A line starting with a colon is a comment and is ignored; it does not end the event.'],
  ['parse.line.field-split', 'MUST', 'client', 'spec', '§9.2.6 "If the line contains a U+003A COLON"', INTERPRET, 'The field name is the text before the first colon and the value the text after it.'],
  ['parse.line.one-space', 'MUST', 'client', 'spec', '§9.2.6 "If value starts with a U+0020 SPACE"', INTERPRET, 'Exactly one leading U+0020 is removed from the value; tabs, further spaces and trailing whitespace are kept.'],
  ['parse.line.no-colon', 'MUST', 'client', 'spec', '§9.2.6 "Otherwise, the string is not empty"', INTERPRET, 'A line without a colon is a field name with an empty value (so `data` alone appends an empty line).'],
  ['parse.field.case-sensitive', 'MUST', 'client', 'spec', '§9.2.6 "process the field"', INTERPRET, 'Field names are compared literally: `Data` and `DATA` are not `data`.'],
  ['parse.field.unknown-ignored', 'MUST', 'client', 'spec', '§9.2.6 "Otherwise: The field is ignored"', INTERPRET, 'A field with any other name is ignored.'],
  // ── Field semantics (§9.2.6 "process the field") ───────────────────────────────────────
  ['parse.event.type', 'MUST', 'client', 'spec', '§9.2.6 field "event"', INTERPRET, '`event` sets the event type buffer to the value; an empty value resets the type to the default.'],
  ['parse.data.append', 'MUST', 'client', 'spec', '§9.2.6 field "data"', INTERPRET, '`data` appends the value and an LF to the data buffer, so consecutive data lines join with LF.'],
  ['parse.id.sets-buffer', 'MUST', 'client', 'spec', '§9.2.6 field "id"', INTERPRET, '`id` sets the last event ID buffer to the value, which may be empty (resetting it).'],
  ['parse.id.nul-ignored', 'MUST', 'client', 'spec', '§9.2.6 field "id"', INTERPRET, 'An `id` value containing U+0000 is ignored entirely; the previous last event ID stays.'],
  ['parse.retry.digits-only', 'MUST', 'client', 'spec', '§9.2.6 field "retry"', INTERPRET, '`retry` sets the reconnection time only when its value is ASCII digits only; anything else is ignored.'],
  ['parse.retry.immediate', 'MUST', 'client', 'spec', '§9.2.6 field "retry"', INTERPRET, 'A valid `retry` takes effect as soon as its line is processed, without a blank line, and survives end of stream.'],
  // ── Dispatch (§9.2.6 "dispatch the event", steps 1–8) ──────────────────────────────────
  ['parse.dispatch.commit-id', 'MUST', 'client', 'spec', '§9.2.6 dispatch step 1', 'dispatchMessage', 'Every dispatch commits the last event ID buffer, even when no event results (an `id`-only block counts).'],
  ['parse.dispatch.empty-data', 'MUST', 'client', 'spec', '§9.2.6 dispatch step 2', 'dispatchMessage', 'An empty data buffer dispatches nothing and resets the event type; `data:` with an empty value does dispatch "".'],
  ['parse.dispatch.trailing-lf', 'MUST', 'client', 'spec', '§9.2.6 dispatch step 3', 'dispatchMessage', 'Exactly one trailing LF is removed from the data buffer.'],
  ['parse.dispatch.type', 'MUST', 'client', 'spec', '§9.2.6 dispatch steps 5–6', 'dispatchMessage', 'The event type is `message` unless the type buffer is non-empty, in which case it is used verbatim (any string).'],
  ['parse.dispatch.last-event-id', 'MUST', 'client', 'spec', '§9.2.6 dispatch step 5', 'dispatchMessage', 'Each event carries the last event ID string in force; events without their own `id` carry the previous one.'],
  ['parse.dispatch.no-buffering', 'SHOULD', 'client', 'spec', '§9.2.5 note', GRAMMAR, 'An event is dispatched as soon as its blank line arrives, without waiting for more bytes or the end of the stream.'],
  ['parse.eof.discard', 'MUST', 'client', 'spec', '§9.2.6 "Once the end of the file is reached"', INTERPRET, 'At end of stream an unfinished event (no blank line yet) is discarded, including its `id`.'],
  // ── Connection model (§9.2.2–§9.2.4) ───────────────────────────────────────────────────
  ['client.request.accept', 'MAY', 'client', 'spec', '§9.2.2 step 10', IFACE, 'The request may carry `Accept: text/event-stream` (WPT requires it).'],
  ['client.request.no-store', 'MUST', 'client', 'spec', '§9.2.2 step 11', IFACE, 'The request uses cache mode no-store, which sends `Cache-Control: no-cache`.'],
  ['client.request.first-no-last-event-id', 'MUST', 'client', 'spec', '§9.2.4', LEID, 'The first request carries no `Last-Event-ID`.'],
  ['client.response.status', 'MUST', 'client', 'spec', '§9.2.2 step 15.3', IFACE, 'A response whose status is not 200 fails the connection: error, CLOSED, no reconnection (204 included).'],
  ['client.response.content-type', 'MUST', 'client', 'spec', '§9.2.2 step 15.3', IFACE, 'A Content-Type whose MIME essence is not text/event-stream (or none) fails the connection; parameters and case are ignored.'],
  ['client.response.redirect', 'MUST', 'client', 'spec', '§9.2.1, Fetch', IFACE, 'Redirects (301, 302, 303, 307, 308) are followed; event origin is the final URL\'s origin.'],
  ['client.response.cors', 'MUST', 'client', 'spec', '§9.2.2 step 15.2, WPT', IFACE, 'A cross-origin response failing the CORS check fails the connection (WPT reading).'],
  ['client.url.invalid', 'MUST', 'client', 'spec', '§9.2.2 steps 3–4', IFACE, 'A URL that fails to parse throws a SyntaxError from the constructor.'],
  ['client.reconnect.on-end', 'MUST', 'client', 'spec', '§9.2.2 step 14', IFACE, 'A cleanly ended response body leads to reconnection after the reconnection time.'],
  ['client.reconnect.on-network-error', 'MUST', 'client', 'spec', '§9.2.2 step 15.2', IFACE, 'A network error (not an abort) leads to reconnection unless the user agent knows it is futile.'],
  ['client.reconnect.wait', 'MUST', 'client', 'spec', '§9.2.3 reestablish step 2', MODEL, 'The client waits at least the reconnection time before reconnecting.'],
  ['client.reconnect.last-event-id', 'MUST', 'client', 'spec', '§9.2.3 reestablish step 5, §9.2.4', LEID, 'A reconnect sends `Last-Event-ID` with the UTF-8 of the last event ID string when it is not empty.'],
  ['client.reconnect.omit-empty-id', 'MUST', 'client', 'spec', '§9.2.4, §9.2.6 example', LEID, 'When the last event ID string is empty the reconnect carries no `Last-Event-ID` (not an empty or stale one).'],
  ['client.reconnect.state-persists', 'MUST', 'client', 'spec', '§9.2.2, WPT format-field-id-2', IFACE, 'The last event ID and reconnection time belong to the EventSource and persist across connections.'],
  ['client.reconnect.per-response', 'MUST', 'client', 'spec', '§9.2.6', INTERPRET, 'Each response is decoded and parsed afresh: no partial event, event type or BOM state carries over.'],
  ['client.close.stops', 'MUST', 'client', 'spec', '§9.2.2 close(), §9.2.3 step 5.1', MODEL, 'close() aborts the connection, sets CLOSED, fires no error and prevents any reconnection.'],
  ['client.service.protocol', 'MUST', 'client', 'contract', 'spec/CLIENT-SERVICE.md', IFACE, 'A client test service answers the protocol of spec/CLIENT-SERVICE.md: capabilities, create, numbered JSON callbacks, DELETE.'],
  ['client.task.readystate', 'MUST', 'client', 'spec', '§9.2.6 dispatch step 8', 'dispatchMessage', 'A queued event is dispatched only if readyState is not CLOSED when its task runs.'],
  // ── What a server must send (§9.2.5 grammar, §9.2.7, interop) ──────────────────────────
  ['server.status.200', 'MUST', 'server', 'spec', '§9.2.2 step 15.3', IFACE, 'An event stream is served with status 200; anything else makes clients fail the connection.'],
  ['server.header.content-type', 'MUST', 'server', 'spec', '§9.2.2 step 15.3, §9.2.5', GRAMMAR, 'The response has Content-Type with essence `text/event-stream`.'],
  ['server.header.charset', 'SHOULD', 'server', 'interop', '§9.2.5 (UTF-8 only); spec/INTEROP.md#charset', GRAMMAR, 'A charset parameter, if any, is `utf-8`: Blink aborts on any other value.'],
  ['server.header.cache-control', 'SHOULD', 'server', 'interop', '§9.2.2 step 11 (no-store); spec/INTEROP.md#cache-control', IFACE, 'The response carries `Cache-Control: no-cache` or `no-store` so that no cache or proxy stores or replays the stream.'],
  ['server.header.no-content-length', 'SHOULD', 'server', 'interop', '§9.2.7 authoring notes; spec/INTEROP.md#no-content-length', AUTHORING, 'An open-ended stream carries no `Content-Length` (it would cap the stream and close it early).'],
  ['server.header.no-compression', 'SHOULD', 'server', 'interop', '§9.2.5 note, §9.2.7; spec/INTEROP.md#no-compression', AUTHORING, 'The stream is not compressed by a layer that holds events back (Content-Encoding on an event stream delays delivery).'],
  ['server.header.no-connection-h2', 'MUST', 'server', 'interop', 'RFC 9113 §8.2.2; spec/INTEROP.md#no-connection-h2', AUTHORING, 'Over HTTP/2 the response carries no connection-specific header such as `Connection`.'],
  ['server.encoding.utf8', 'MUST', 'server', 'spec', '§9.2.5 "must be encoded as UTF-8"', GRAMMAR, 'The body is valid UTF-8.'],
  ['server.bom.start-only', 'MUST', 'server', 'spec', '§9.2.5 stream = [ bom ] *event', GRAMMAR, 'A BOM, if any, appears only at the very start of the body.'],
  ['server.framing.blank-line', 'MUST', 'server', 'spec', '§9.2.5 event = *( comment / field ) end-of-line', GRAMMAR, 'Every event, the last included, ends with a blank line; an unterminated event is never dispatched.'],
  ['server.framing.known-fields', 'SHOULD', 'server', 'spec', '§9.2.5, §9.2.6 "the field is ignored"', GRAMMAR, 'Every line is a comment or a known field; a line clients silently ignore is usually a lost data line.'],
  ['server.data.split-lines', 'MUST', 'server', 'spec', '§9.2.5 any-char; §9.2.6 field "data"', GRAMMAR, 'A multi-line value is sent as one `data:` line per line, splitting on CRLF, LF and lone CR, so clients receive it intact.'],
  ['server.data.exact', 'MUST', 'server', 'spec', '§9.2.6 field "data", one-space rule', INTERPRET, 'Clients receive exactly the data sent: empty values, leading spaces, colons and non-ASCII survive.'],
  ['server.event.no-newline', 'MUST', 'server', 'spec', '§9.2.5 any-char', GRAMMAR, 'An `event` value contains no CR or LF (which would end the line and inject fields).'],
  ['server.id.no-newline', 'MUST', 'server', 'spec', '§9.2.5 any-char', GRAMMAR, 'An `id` value contains no CR or LF (which would end the line and inject fields).'],
  ['server.id.no-nul', 'MUST', 'server', 'spec', '§9.2.6 field "id"', INTERPRET, 'An `id` value contains no U+0000: clients ignore such an id, so resumption silently breaks.'],
  ['server.retry.digits', 'MUST', 'server', 'spec', '§9.2.6 field "retry"', INTERPRET, 'A `retry` value is ASCII digits only, and the value intended: anything else is ignored by clients.'],
  ['server.comment.keepalive', 'SHOULD', 'server', 'spec', '§9.2.7 "comment line … every 15 seconds or so"', AUTHORING, 'An idle stream sends a comment line about every 15 seconds so proxies do not drop it.'],
  ['server.delivery.no-buffering', 'SHOULD', 'server', 'spec', '§9.2.5 note, §9.2.7 chunking note', AUTHORING, 'Each event reaches the client when it is sent, not held until later events or the end of the stream.'],
  ['server.delivery.not-held', 'MUST', 'server', 'interop', '§9.2.7 chunking note; spec/INTEROP.md#held-events', AUTHORING, 'On a stream that stays open, every event arrives while the stream is open: an event held until the connection ends never arrives on a stream that does not end.'],
  ['server.delivery.first-byte', 'MUST', 'server', 'interop', '§9.2.2 step 15 (announce the connection); spec/INTEROP.md#first-byte', IFACE, 'The response headers arrive promptly, so the client can announce the connection.'],
  ['server.delivery.headers-before-event', 'SHOULD', 'server', 'interop', '§9.2.2 step 15 (announce the connection); spec/INTEROP.md#headers-before-event', IFACE, 'The response headers are sent at once, not held until the first event is written: the client fires `open` only when they arrive.'],
  ['server.idle.no-cut', 'MUST', 'server', 'interop', '§9.2.7 keep-alive note; spec/INTEROP.md#idle-cuts', AUTHORING, 'An open stream is never silent for as long as the idle timeout of common load balancers and proxies (60 s), and is not closed after a spell of silence.'],
  ['server.reconnect.accepts', 'SHOULD', 'server', 'spec', '§9.2.2 step 14, §9.2.3', MODEL, 'After the server ends a stream, a reconnect that waits the retry time is served again.'],
  ['server.reconnect.204-stops', 'SHOULD', 'server', 'spec', '§9.2.7 "HTTP 204 No Content"', AUTHORING, 'A server that wants the client to stop reconnecting answers 204 (any non-200 stops it).'],
  ['server.resume.after-last-event-id', 'MUST', 'server', 'contract', '§9.2.4, §9.2.6 example', LEID, 'A reconnect carrying Last-Event-ID continues with exactly the event after that id: no gap, no duplicate, no replay from the start.'],
  ['server.cors.allow-origin', 'MUST', 'server', 'spec', 'Fetch "CORS check" (with --origin)', CORS_CHECK, 'A response to a cross-origin request carries `Access-Control-Allow-Origin` allowing the request\'s origin (the origin itself, or `*`); otherwise the browser never exposes the stream.'],
  ['server.cors.credentials', 'MUST', 'server', 'spec', 'Fetch "CORS check" (with --origin --credentials)', CORS_CHECK, 'A response to a request with credentials (`withCredentials`) names the origin itself in `Access-Control-Allow-Origin`, never `*`, and carries `Access-Control-Allow-Credentials: true`.'],
  ['server.cors.preflight', 'SHOULD', 'server', 'interop', 'Fetch "CORS-preflight fetch"; spec/INTEROP.md#cors-preflight', CORS_PREFLIGHT, 'A preflight for GET asking for `last-event-id` and `authorization` (what fetch-based EventSource clients send) is answered 2xx with the origin allowed and both headers listed (`*` never covers `authorization`, nor anything with credentials).'],
  ['server.churn.recovers', 'MUST', 'server', 'interop', '§9.2.2 close(); spec/INTEROP.md#disconnect-churn', IFACE, 'After connections aborted before the headers, after the headers and in the middle of an event, the endpoint still answers a new connection about as promptly as before.'],
  ['server.connections.http1-limit', 'MAY', 'server', 'spec', '§9.2.7 "per-server connection limitation"', AUTHORING, 'The stream is served over HTTP/2 or later, where EventSources to one origin share a connection; over HTTP/1.1 each holds one of the browser\'s 6 connections per origin, so a seventh EventSource (pages, tabs) stalls.'],
  ['server.resume.unknown-id', 'MUST', 'server', 'contract', '§9.2.4', LEID, 'A Last-Event-ID the server does not know is handled as the fixture declares, never with a crash or a hang.'],
];

export const requirements: readonly Requirement[] = rows.map(([id, level, binds, basis, section, anchor, text]) => ({
  id, level, binds, basis, section, anchor, text,
}));

const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));

export function getRequirement(id: string): Requirement | undefined {
  return byId.get(id);
}

export function requirementUrl(requirement: Requirement): string {
  return requirement.anchor.startsWith('https://') ? requirement.anchor : `${SPEC_URL}#${requirement.anchor}`;
}
