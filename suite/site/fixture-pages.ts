/** Pages of the corpus: one per fixture, and the fixture index grouped by category. */
import type { Connection, Fixture, ScenarioFixture, StreamFixture } from '../../spec/fixture.ts';
import type { SseEvent } from '../../spec/interpreter.ts';
import { getRequirement, requirementUrl } from '../../spec/requirements.ts';
import { resolveConnection, resolveStream, type ResolvedResponse } from '../../spec/response.ts';
import { badge, esc, href, htmlTable, paths, prose, type Page } from './html.ts';
import type { SiteModel } from './model.ts';
import { drawWire } from './wire-view.ts';

/** A fixture file named from the corpus root (`fixtures/…`), wherever the corpus was read from. */
const corpusPath = (file: string) => {
  const at = file.replace(/\\/g, '/').lastIndexOf('fixtures/');
  return at === -1 ? file : file.slice(at);
};

const show = (value: string) => `<code class="value">${esc(JSON.stringify(value))}</code>`;

function eventsTable(events: readonly SseEvent[], caption: string): string {
  if (events.length === 0) return `<p>${caption}: <strong>none</strong> — no event is dispatched.</p>`;
  return htmlTable(caption, ['#', 'type', 'data', 'last event id'], events.map((e, i) => [String(i + 1), show(e.type), show(e.data), show(e.lastEventId)]));
}

function responseBlock(response: ResolvedResponse): string {
  const head = [`HTTP ${response.status}`, ...response.headers.map(([name, value]) => `${name}: ${value}`)].join('\n');
  const delay = response.headDelayMs > 0 ? `<p>The status line and headers are held back ${response.headDelayMs} ms.</p>` : '';
  const ending = { close: 'the server closes the connection cleanly', reset: 'the connection is reset (an error, not a clean end)', open: 'the stream stays open' }[response.end];
  return `${delay}<pre class="head">${esc(head)}</pre>${drawWire(response.wire)}<p>Then ${ending}.</p>`;
}

function requirementsList(fixture: Fixture, from: string): string {
  const items = fixture.requirements.map((id) => {
    const r = getRequirement(id);
    if (!r) return `<li><code>${esc(id)}</code></li>`;
    return `<li><a href="${href(from, paths.requirement(id))}"><code>${esc(id)}</code></a> <span class="level ${r.level}">${r.level}</span> — ${prose(r.text)} <a class="spec" href="${requirementUrl(r)}">${esc(r.section)}</a></li>`;
  });
  return `<ul class="requirements">${items.join('')}</ul>`;
}

function connectionBlock(connection: Connection, index: number): string {
  const request = connection.request;
  const asks: string[] = [];
  if (request?.lastEventId !== undefined) asks.push(request.lastEventId === null ? 'carries no <code>Last-Event-ID</code>' : `carries <code>Last-Event-ID: ${esc(request.lastEventId)}</code>`);
  if (request?.minDelayMs !== undefined) asks.push(`comes at least ${request.minDelayMs} ms after the previous connection ended`);
  for (const [name, value] of Object.entries(request?.headers ?? {})) asks.push(`carries <code>${esc(name)}: ${esc(value)}</code>`);
  const events = connection.events ? eventsTable(connection.events, `Events dispatched on connection ${index + 1}`) : '';
  return `<section aria-labelledby="conn-${index}"><h3 id="conn-${index}">Connection ${index + 1}</h3>${asks.length ? `<p>The request ${asks.join('; ')}.</p>` : ''}${responseBlock(resolveConnection(connection))}${events}</section>`;
}

function scenarioBody(fixture: ScenarioFixture): string {
  const log = fixture.expect.log ? `<h2>What the client observes</h2><ol class="log">${fixture.expect.log.map((l) => `<li><code>${esc(l)}</code></li>`).join('')}</ol>` : '';
  const requests = fixture.expect.requests !== undefined ? `<p>Exactly <strong>${fixture.expect.requests}</strong> request${fixture.expect.requests === 1 ? '' : 's'} in all.</p>` : '';
  const client = fixture.client ? `<p>The client: <code>${esc(JSON.stringify(fixture.client))}</code></p>` : '';
  return `<h2>Connections</h2>${client}${fixture.connections.map(connectionBlock).join('')}${log}${requests}`;
}

function streamBody(fixture: StreamFixture): string {
  const response = resolveStream(fixture);
  const sent = fixture.send ? '<p>The application sends these messages; the wire below is how a correct server serialises them.</p>' : '';
  const extra: string[] = [];
  if (fixture.expect.retry !== undefined) extra.push(`reconnection time afterwards: <code>${esc(String(fixture.expect.retry ?? 'unchanged'))}</code>`);
  if (fixture.expect.lastEventId !== undefined) extra.push(`last event id afterwards: ${show(fixture.expect.lastEventId)}`);
  if (fixture.resume) extra.push(`a reconnect with an unknown <code>Last-Event-ID</code> gets ${fixture.resume.unknownId === 'replay' ? 'the stream from the start' : 'no event'}`);
  return `<h2>The wire</h2>${sent}${responseBlock(response)}<h2>Expected</h2>${eventsTable(fixture.expect.events, 'Events the client dispatches')}${extra.length ? `<p>${extra.join('; ')}.</p>` : ''}`;
}

function sourceLink(source: string): string {
  return /^https?:\/\//.test(source) ? `<a href="${esc(source)}">${esc(source)}</a>` : prose(source);
}

function verdicts(model: SiteModel, fixture: Fixture, from: string): string {
  const list = model.verdictsByFixture.get(fixture.id) ?? [];
  if (model.implementations.length === 0) return '';
  if (list.length === 0) return '<h2>Implementations</h2><p>No implementation in the matrices was judged on this fixture.</p>';
  const rows = list.map((v) => [`<a href="${href(from, paths.implementation(v.implementation.name))}">${esc(v.implementation.name)}</a>`, v.implementation.kind, badge(v.outcome), prose(v.message)]);
  return `<h2>Implementations</h2>${htmlTable('What real implementations do with this fixture (worst result of each)', ['implementation', 'kind', 'verdict', 'detail'], rows)}`;
}

export function fixturePage(model: SiteModel, fixture: Fixture): Page {
  const path = paths.fixture(fixture.id);
  const divergences = fixture.divergences?.length
    ? `<h2>Where implementations differ</h2><ul class="divergences">${fixture.divergences.map((d) => `<li><strong>${esc(d.implementation)}</strong>: ${prose(d.behaviour)} <span class="source">(${sourceLink(d.source)})</span></li>`).join('')}</ul>`
    : '';
  const main = `<article>
<p class="crumbs"><a href="${href(path, paths.fixtures)}">Fixtures</a> › ${esc(fixture.category)}</p>
<h1>${prose(fixture.title)}</h1>
<p class="meta"><code>${esc(fixture.id)}</code> · ${fixture.kind === 'stream' ? (fixture.send ? 'server fixture' : 'parse vector') : 'scenario'} · <code>${esc(corpusPath(model.fileOf.get(fixture.id) ?? ''))}</code>${fixture.informational ? ' · <strong>informational</strong> (not a conformance assertion)' : ''}</p>
<p class="explanation">${prose(fixture.explanation)}</p>
<h2>Requirements</h2>${requirementsList(fixture, path)}
${fixture.kind === 'stream' ? streamBody(fixture) : scenarioBody(fixture)}
${divergences}
${fixture.notes ? `<h2>Notes</h2><p>${prose(fixture.notes)}</p>` : ''}
<p class="source">Source: ${sourceLink(fixture.source)}</p>
${verdicts(model, fixture, path)}
</article>`;
  return { path, title: fixture.title.replace(/`/g, ''), section: 'fixtures', main };
}

const KIND_LABEL = (f: Fixture) => (f.kind === 'scenario' ? 'scenario' : f.send ? 'server' : 'parse vector');

export function fixtureIndexPage(model: SiteModel): Page {
  const path = paths.fixtures;
  const byCategory = new Map<string, Fixture[]>();
  for (const { fixture } of model.fixtures) byCategory.set(fixture.category, [...(byCategory.get(fixture.category) ?? []), fixture]);
  const sections = [...byCategory].map(([category, list]) => {
    const items = list.map((f) => `<li><a href="${href(path, paths.fixture(f.id))}">${prose(f.title)}</a> <span class="kind">${KIND_LABEL(f)}</span></li>`).join('');
    return `<section aria-labelledby="cat-${esc(category)}"><h2 id="cat-${esc(category)}">${esc(category)} <span class="count">(${list.length})</span></h2><ul class="fixtures">${items}</ul></section>`;
  });
  return { path, title: 'Fixtures', section: 'fixtures', main: `<h1>Fixtures</h1><p>${model.fixtures.length} fixtures in ${byCategory.size} categories: each teaches one rule of the protocol with the exact bytes.</p>${sections.join('\n')}` };
}
