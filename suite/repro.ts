/**
 * `curl` command lines that show a problem to a person. `cat -vet` makes CR (^M), tabs (^I) and
 * line ends ($) visible, which is what most framing bugs are about.
 */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The request headers the suite sends, so the repro sees what the suite saw (nchan refuses a request without Accept). */
function headerArgs(headers: Record<string, string>): string {
  return Object.entries({ accept: 'text/event-stream', ...headers })
    .map(([name, value]) => ` -H ${quote(`${name}: ${value}`)}`)
    .join('');
}

/** The body with invisible bytes shown. */
export function curlBody(url: string, headers: Record<string, string> = {}, maxTime = 5): string {
  return `curl -sN --max-time ${maxTime}${headerArgs(headers)} ${quote(url)} | cat -vet`;
}

/** The response headers only. */
export function curlHeaders(url: string, headers: Record<string, string> = {}, maxTime = 5): string {
  return `curl -sN --max-time ${maxTime} -o /dev/null -D -${headerArgs(headers)} ${quote(url)}`;
}

/** Each line with the time it arrived, to see buffering. */
export function curlTimed(url: string, headers: Record<string, string> = {}, maxTime = 5): string {
  return `curl -sN --max-time ${maxTime}${headerArgs(headers)} ${quote(url)} | while IFS= read -r l; do echo "$(date +%T.%N | cut -c1-12) $l"; done`;
}

/** A preflight (OPTIONS) with exactly these headers, showing the answer's headers. */
export function curlPreflight(url: string, headers: Record<string, string>, maxTime = 5): string {
  const args = Object.entries(headers).map(([name, value]) => ` -H ${quote(`${name}: ${value}`)}`).join('');
  return `curl -s --max-time ${maxTime} -X OPTIONS -o /dev/null -D -${args} ${quote(url)}`;
}
