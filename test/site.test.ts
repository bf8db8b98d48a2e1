/**
 * The documentation site: every fixture and requirement has its page, every internal link
 * resolves, invisible bytes are drawn, and matrix results reach the fixture pages they concern.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixtures } from '../spec/loader.ts';
import { requirements } from '../spec/requirements.ts';
import { checks } from '../suite/checks/index.ts';
import { buildSite } from '../suite/site/build.ts';
import { paths } from '../suite/site/html.ts';
import { brokenLinks, sitePages } from './site/links.ts';

const fixtures = loadFixtures();

/** A reports folder as the matrices and the mutant tests leave it. */
function fakeReports(dir: string): void {
  mkdirSync(join(dir, 'targets', 'demo-server'), { recursive: true });
  const results = [
    { fixture: 'srv-data-lone-cr', check: 'events', requirement: 'server.data.split-lines', outcome: 'fail', message: 'event 1: data "a" instead of "a\\rb"', repro: "curl -sN 'http://127.0.0.1:1/srv-data-lone-cr'" },
    { fixture: 'srv-data-crlf', check: 'events', requirement: 'server.data.exact', outcome: 'pass', message: 'exactly as sent', repro: null },
  ];
  writeFileSync(join(dir, 'targets', 'demo-server', 'results.json'), JSON.stringify({ results }));
  writeFileSync(join(dir, 'matrix.json'), JSON.stringify({ targets: [{ name: 'demo-server', language: 'go', library: 'demo', version: '1.2.3', status: 'judged', report: 'targets/demo-server/report.html' }] }));
  writeFileSync(join(dir, 'mutants.json'), JSON.stringify({ mutants: [{ name: 'lf-only-split', bug: 'splits values on LF only', tripped: ['events/server.data.split-lines'] }] }));
}

test('the site has a page for every fixture and requirement, and no internal link is broken', () => {
  const root = mkdtempSync(join(tmpdir(), 'site-'));
  try {
    const reports = join(root, 'reports');
    fakeReports(reports);
    const out = join(root, 'site');
    const summary = buildSite({ outDir: out, reportsDir: reports, fixtures, requirements, checks });
    const pages = new Set(sitePages(out));
    for (const { fixture } of fixtures) assert.ok(pages.has(paths.fixture(fixture.id)), `no page for fixture ${fixture.id}`);
    for (const r of requirements) assert.ok(pages.has(paths.requirement(r.id)), `no page for requirement ${r.id}`);
    assert.equal(summary.implementations, 1);
    assert.ok(pages.has(paths.implementation('demo-server')));
    assert.deepEqual(brokenLinks(out), []);

    const fixturePage = readFileSync(join(out, paths.fixture('srv-data-lone-cr')), 'utf8');
    assert.match(fixturePage, /demo-server<\/a><\/th><td>server<\/td><td><span class="badge fail">/, 'the matrix verdict reaches the fixture page');
    const requirementPage = readFileSync(join(out, paths.requirement('server.data.split-lines')), 'utf8');
    assert.match(requirementPage, /lf-only-split/, 'the mutant that trips it');
    assert.match(requirementPage, /implementations\/demo-server\.html/, 'the implementation that breaks it');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the wire is drawn with its invisible bytes: lone CR, CRLF, BOM, NUL, invalid UTF-8, chunk edges', () => {
  const root = mkdtempSync(join(tmpdir(), 'site-'));
  try {
    const out = join(root, 'site');
    buildSite({ outDir: out, reportsDir: join(root, 'none'), fixtures, requirements, checks });
    const page = (id: string) => readFileSync(join(out, paths.fixture(id)), 'utf8');
    const withToken = (label: string) => fixtures.map(({ fixture }) => fixture.id).filter((id) => page(id).includes(`>${label}</span>`));
    for (const label of ['CR', 'LF', 'CRLF', 'BOM', 'NUL', '┊']) assert.ok(withToken(label).length > 0, `no fixture page draws ${label}`);
    assert.ok(fixtures.some(({ fixture }) => /class="tok bad"/.test(page(fixture.id))), 'no page draws an invalid UTF-8 byte');
    assert.ok(fixtures.some(({ fixture }) => />pause \d+ ms</.test(page(fixture.id))), 'no page draws a pause');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the link checker finds a broken link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  try {
    writeFileSync(join(dir, 'index.html'), '<a href="missing.html">x</a><a href="https://example.org/">y</a><a href="#top">z</a>');
    assert.deepEqual(brokenLinks(dir), ['index.html → missing.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
