/** The text of `--help` for each command (`main` is the command without one). */
import { DEFAULT_LIMITS } from './limits.ts';
import { VERSION } from './version.ts';

export const HELP: Record<string, string> = {
  main: `sse-conformance ${VERSION} — conformance suite and reference server for Server-Sent Events

Usage:
  sse-conformance [options]            run the suite against the embedded reference server
                                       (--tls: over HTTPS; --http2: over HTTP/2 through ALPN)
  sse-conformance run <base-url>       judge a server that serves the fixtures at <base-url>/<id>
  sse-conformance probe <url>          black-box checks of any single SSE endpoint
  sse-conformance client <service-url> judge an SSE client through its test service
  sse-conformance serve                start the reference server
  sse-conformance fixtures [--json]    list the fixtures, or export them all as JSON
  sse-conformance list                 every check with its requirement ids and levels
  sse-conformance docs [--out site]    write the documentation site (fixtures, requirements, results)

Run "sse-conformance <command> --help" for a command's options.
Exit codes: 0 no failure, 1 at least one failure, 2 usage error or target unreachable.`,
  run: `Usage: sse-conformance run <base-url> [options]

Fixture <id> is fetched from <base-url>/<id>, or, where the URL contains {id}, from the URL with
{id} replaced. A fixture answered with 404 is reported as SKIP (not implemented).

Options:
  --only <glob>          run only matching fixtures, categories, checks or requirements (repeatable)
  --skip <glob>          skip matching ones (repeatable)
  --strict               SHOULD failures and timings in their warn band fail the run
                         (default: they warn)
  --header 'Name: value' send this header on every request (repeatable); its value is never
                         printed: output and reports show $SSE_HEADER_NAME instead
  --header-env Name=VAR  the header's value from environment variable VAR (shown as $VAR)
  --header-file Name=F   the header's value from file F (its first line)
  --timeout <ms>         deadline for each response's headers (default ${DEFAULT_LIMITS.timeoutMs})
  --idle <ms>            stop reading a stream after this long without a byte (default ${DEFAULT_LIMITS.idleMs})
  --concurrency <n>      fixtures judged at once (default 8)
  --heartbeat <ms>       longest tolerated silence of an open stream (default 15000)
  --idle-cut <ms>        idle timeout of the load balancers in front: a longer silence fails
                         (default 60000)
  --origin <origin>      judge CORS for a page on this origin (https://app.example): the stream
                         is requested with Origin, and a preflight asks for last-event-id and
                         authorization; without it CORS is not judged (SKIP)
  --credentials          with --origin: ask as withCredentials does (exact origin, credentials)
  --aborts <n>           connections the churn check aborts before it opens one more (default 12)
  --report <kind>        console|json|junit|md|html (repeatable; the console report is always
                         printed; "spec" is another name for console)
  --out <dir>            where report files go (default reports/)
  --baseline <file>      expected failures, one result id or glob per line
  --fixtures <dir>       use the fixtures in <dir> instead of the built-in corpus
  --max-bytes <n>        stop reading a stream after n bytes (default ${DEFAULT_LIMITS.maxBytes})
  --max-events <n>       stop reading a stream after n events (default ${DEFAULT_LIMITS.maxEvents})
  --max-line <n>         stop reading at a line longer than n characters (default ${DEFAULT_LIMITS.maxLineLength})
  --max-duration <ms>    stop reading any one stream after this long (default ${DEFAULT_LIMITS.maxDurationMs})
  --max-run <ms>         start no new fixture after this long; the rest are skipped (default 600000)
  --ca <file>            https: trust the certificates in this PEM file (e.g. a self-signed
                         server's own certificate) instead of the system's CAs
  --insecure             https: accept any certificate, even self-signed or for another name

An https: target is read over HTTP/2 where it offers h2 through ALPN, else over HTTP/1.1; each
result records which (console summary, reports).`,
  probe: `Usage: sse-conformance probe <url> [options]

Reads the endpoint for --duration ms and checks headers, framing, delivery, keep-alive and idle
cuts (with --heartbeat and --idle-cut) and, where events carry ids, resumption with Last-Event-ID.

Options: as for "run", plus
  --duration <ms>        how long to read the endpoint (default 5000)`,
  serve: `Usage: sse-conformance serve [--host 127.0.0.1] [--port 0] [--keep-alive <ms>]
                             [--tls [--cert <pem> --key <pem>]] [--http2]

Serves every fixture at <base>/<id> and prints "listening on <base>". GET <base>/ lists them.
Scenario fixtures take ?session=<token>; GET <base>/_sessions/<token> returns what was recorded.

  --tls        serve HTTPS with a self-signed certificate made at start (its file is printed:
               trust it with curl --cacert <file>), or with --cert and --key
  --http2      serve HTTP/2, with HTTP/1.1 for clients that do not offer h2 (ALPN); implies --tls`,
  fixtures: `Usage: sse-conformance fixtures [--json] [--fixtures <dir>]

Lists the fixtures; with --json prints the whole corpus as one JSON document (spec/FIXTURES.md).`,
  list: `Usage: sse-conformance list

Prints every check with the requirement ids it enforces and their levels.`,
};
