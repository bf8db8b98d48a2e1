/**
 * Test service for Chromium's own EventSource (Blink): Debian's /usr/bin/chromium driven headless
 * through playwright-core (pinned in clients/package.json; never a downloaded browser build). Each
 * client is `new EventSource(streamUrl)` in a page at the stream's origin (so no CORS is involved);
 * the page hands every open, error and message to this process, which posts the callbacks.
 *
 * Chromium opens at most 6 HTTP/1.1 connections per host, so run it with a concurrency of 4.
 * CHROMIUM_PATH overrides the browser binary.
 */
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { serve } from '../../kit/node-service.mjs';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, timeout: 30_000 });
const reporters = new Map();
const pages = new Map();

async function pageFor(origin) {
  let page = pages.get(origin);
  if (!page) {
    page = (async () => {
      const p = await browser.newPage();
      await p.exposeFunction('__report', (key, message) => reporters.get(key)?.(message));
      await p.goto(`${origin}/`);
      return p;
    })();
    pages.set(origin, page);
  }
  return page;
}

/** Runs in the page: the EventSource and its listeners (the same shape as the Node services'). */
const OPEN = String.raw`({ key, url }) => {
  const es = new EventSource(url);
  const isMessage = (e) => e && typeof e.data === 'string';
  const listening = new Set();
  const listen = (type) => {
    if (listening.has(type)) return;
    listening.add(type);
    es.addEventListener(type, (e) => { if (isMessage(e)) window.__report(key, { kind: 'event', event: { type: e.type, data: e.data, id: e.lastEventId } }); });
  };
  listen('message');
  es.addEventListener('open', (e) => { if (!isMessage(e)) window.__report(key, { kind: 'open', readyState: es.readyState }); });
  es.addEventListener('error', (e) => { if (!isMessage(e)) window.__report(key, { kind: 'error', error: 'error event', readyState: es.readyState }); });
  (window.__clients ??= {})[key] = { es, listen };
}`;

process.once('exit', () => void browser.close().catch(() => undefined));
serve({
  name: 'Chromium',
  version: browser.version(),
  capabilities: ['event-type-listeners', 'open-events', 'ready-state'],
  create: async (params, report) => {
    const page = await pageFor(new URL(params.streamUrl).origin);
    const key = randomUUID();
    reporters.set(key, report);
    await page.evaluate(`(${OPEN})(${JSON.stringify({ key, url: params.streamUrl })})`);
    return {
      command: async (body) => {
        if (body?.command !== 'listen' || typeof body.listen?.type !== 'string') return false;
        await page.evaluate(`window.__clients[${JSON.stringify(key)}].listen(${JSON.stringify(body.listen.type)})`);
        return true;
      },
      close: () => {
        reporters.delete(key);
        page.evaluate(`(() => { const c = window.__clients[${JSON.stringify(key)}]; if (c) { c.es.close(); delete window.__clients[${JSON.stringify(key)}]; } })()`).catch(() => undefined);
      },
    };
  },
});
