// The fixture replay every Express target shares (what no SSE library provides): look the fixture
// up, send the headers at once, write each message after its pauses with the target's own writer,
// stop when the client leaves, and keep an open stream alive with the target's own ping. The
// writer, the headers and the ping are the target's: they are what the suite judges.
import { isDelay, itemsAfter, sleep } from './corpus.mjs';

/**
 * @param {import('express').Express} app
 * @param {Map<string, object>} fixtures
 * @param {{ headers: Record<string, string>, write: (res: object, item: object) => void, ping: (res: object) => void }} target
 */
export function replayFixtures(app, fixtures, { headers, write, ping }) {
  app.get('/:id', async (req, res) => {
    const fixture = fixtures.get(req.params.id);
    if (!fixture) return res.sendStatus(404);
    res.set(headers);
    res.flushHeaders();
    let closed = false;
    res.on('close', () => (closed = true));
    for (const item of itemsAfter(fixture, req.get('Last-Event-ID'))) {
      if (closed) return;
      if (isDelay(item)) await sleep(item.delay);
      else write(res, item);
    }
    if (fixture.end !== 'open') return res.end();
    const timer = setInterval(() => ping(res), 1000);
    res.on('close', () => clearInterval(timer));
  });
}
