/**
 * The documentation site in a real browser (Debian chromium through playwright-core): every page
 * loads from file:// without a console error, has its landmarks and one h1, every internal link
 * the browser resolves names a file, and the search box finds fixtures and requirements.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { loadFixtures } from '../../spec/loader.ts';
import { requirements } from '../../spec/requirements.ts';
import { checks } from '../../suite/checks/index.ts';
import { buildSite } from '../../suite/site/build.ts';
import { sitePages } from '../site/links.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'site-browser-'));
const out = join(root, 'site');
let browser: Browser;

before(async () => {
  // The reports of this checkout, when the matrices have run: the pages then show their results.
  buildSite({ outDir: out, reportsDir: join(process.cwd(), 'reports'), fixtures: loadFixtures(), requirements, checks });
  mkdirSync(join(root, 'profile'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--allow-file-access-from-files'],
    timeout: 60_000,
  });
});

after(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

test('chromium is installed', () => assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`));

test('every page loads without console errors, with landmarks, one h1 and links that resolve', { timeout: 600_000 }, async () => {
  const pages = sitePages(out);
  assert.ok(pages.length > 270, `only ${pages.length} pages`);
  const page = await browser.newPage();
  const problems: string[] = [];
  let current = '';
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${current}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${current}: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`${current}: could not load ${request.url()}`));
  for (const path of pages) {
    current = path;
    await page.goto(pathToFileURL(join(out, path)).href, { timeout: 30_000 });
    const shape = await page.evaluate(() => ({
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main').length,
      nav: document.querySelectorAll('nav[aria-label]').length,
      search: document.querySelectorAll('[role=search] label[for=search]').length,
      links: Array.from(document.querySelectorAll('a[href]'), (a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith('file:')),
    }));
    if (shape.h1 !== 1 || shape.main !== 1 || shape.nav !== 1 || shape.search !== 1) problems.push(`${path}: landmarks ${JSON.stringify({ ...shape, links: undefined })}`);
    for (const link of shape.links) {
      const file = fileURLToPath(link.split('#')[0]!);
      if (!existsSync(file)) problems.push(`${path}: broken link ${link}`);
    }
  }
  await page.close();
  assert.deepEqual(problems, []);
});

test('the search box finds a fixture and a requirement, and its result opens the page', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(out, 'fixtures', 'index.html')).href);
  await page.fill('#search', 'server.resume');
  const hits = await page.locator('#search-results a').allTextContents();
  assert.ok(hits.some((t) => t.includes('server.resume.after-last-event-id')), `search hits: ${hits.join(' | ')}`);
  await page.fill('#search', 'lone CR');
  const first = page.locator('#search-results a').first();
  await first.focus();
  await page.keyboard.press('Enter');
  // The search starts on the fixture index: wait for a fixture's own page.
  await page.waitForURL((url) => /\/fixtures\/[^/]+\.html$/.test(url.pathname) && !url.pathname.endsWith('/index.html'), { timeout: 30_000 });
  await page.waitForLoadState('load');
  assert.equal(await page.locator('h1').count(), 1);
  await page.close();
});

test('the layout fits a phone: no horizontal scrolling of the page', { timeout: 60_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  for (const path of ['index.html', 'fixtures/eol-cr-only.html', 'coverage.html']) {
    await page.goto(pathToFileURL(join(out, path)).href);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px on a phone`);
  }
  await page.close();
});
