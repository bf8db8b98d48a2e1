/**
 * One server under load, in its own process so its memory is its own: `reference` (our reference
 * server replaying a synthetic fixture), `bare` (node:http writing the same bytes by hand) or
 * `better-sse`. Each sends K events (`id: i`, a ~100-byte JSON payload) to every stream, then keeps
 * it open with a keep-alive every 15 s. Prints its port on stdout.
 *   node --import tsx bench/load-server.ts <kind> <K>
 */
import { createServer } from 'node:http';
import type { LoadedFixture, SendItem } from '../spec/fixture.ts';
import { startReferenceServer } from '../reference-server/server.ts';

const [kind, k] = [process.argv[2], Number(process.argv[3] ?? 10)];
export const payload = (i: number) => JSON.stringify({ seq: i, symbol: 'ACME', price: 100 + (i % 50) / 7, note: 'x'.repeat(40) });
const KEEP_ALIVE_MS = 15_000;

async function main(): Promise<number> {
  if (kind === 'reference') {
    const send: SendItem[] = Array.from({ length: k }, (_, i) => ({ id: String(i + 1), data: payload(i + 1) }));
    const fixture: LoadedFixture = {
      file: 'bench',
      fixture: { id: 'bench-stream', title: 'bench', category: 'bench', kind: 'stream', requirements: ['server.data.exact'], explanation: 'load benchmark', source: 'bench', send, end: 'open', expect: { events: [] } },
    };
    const server = await startReferenceServer({ fixtures: [fixture], keepAliveMs: KEEP_ALIVE_MS });
    return Number(new URL(server.url).port);
  }
  if (kind === 'bare') {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let i = 1; i <= k; i++) res.write(`id: ${i}\ndata: ${payload(i)}\n\n`);
      const timer = setInterval(() => res.write(':\n'), KEEP_ALIVE_MS);
      res.once('close', () => clearInterval(timer));
    });
    server.maxConnections = 100_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }
  if (kind === 'better-sse') {
    const { createSession } = await import('better-sse');
    const server = createServer(async (req, res) => {
      const session = await createSession(req, res, { keepAlive: KEEP_ALIVE_MS, retry: null });
      for (let i = 1; i <= k; i++) session.push(payload(i), 'message', String(i));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }
  throw new Error(`unknown server kind ${kind}`);
}

process.stdout.write(`${await main()}\n`);
