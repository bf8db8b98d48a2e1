/** Pages of the catalogue: requirements, implementations, the coverage table and the home page. */
import { requirementUrl, type Requirement } from '../../spec/requirements.ts';
import { badge, esc, href, htmlTable, paths, prose, type Page } from './html.ts';
import type { Implementation } from './implementations.ts';
import { tally, type SiteModel } from './model.ts';

const BASIS: Record<Requirement['basis'], string> = {
  spec: 'normative text or grammar of WHATWG HTML §9.2',
  interop: 'needed for real clients to work although the spec does not say MUST',
  contract: 'a promise the fixture makes (for example that the server resumes after Last-Event-ID)',
};

const link = (from: string, to: string, label: string) => `<a href="${href(from, to)}">${label}</a>`;
const list = (items: string[], empty: string) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p class="gap">${empty}</p>`);

export function requirementPage(model: SiteModel, requirement: Requirement): Page {
  const path = paths.requirement(requirement.id);
  const fixtures = (model.fixturesByRequirement.get(requirement.id) ?? []).map((f) => link(path, paths.fixture(f.id), prose(f.title)));
  const checks = (model.checksByRequirement.get(requirement.id) ?? []).map((c) => `<code>${esc(c.name)}</code> — ${prose(c.description)}`);
  const mutants = (model.mutantsByRequirement.get(requirement.id) ?? []).map((m) => `<code>${esc(m.name)}</code> — ${prose(m.bug)}`);
  const breakers = (model.breakersByRequirement.get(requirement.id) ?? []).map((i) => link(path, paths.implementation(i.name), esc(i.name)));
  const enforced = requirement.binds === 'client' ? '<p>Client requirements are judged by <code>sse-conformance client</code> on every fixture above.</p>' : list(checks, 'No check enforces this requirement.');
  const main = `<article>
<p class="crumbs"><a href="${href(path, paths.requirements)}">Requirements</a></p>
<h1><code>${esc(requirement.id)}</code></h1>
<p class="sentence">${prose(requirement.text)}</p>
<dl class="facts"><dt>Level</dt><dd><span class="level ${requirement.level}">${requirement.level}</span></dd><dt>Binds</dt><dd>${requirement.binds}</dd><dt>Basis</dt><dd>${requirement.basis} — ${BASIS[requirement.basis]}</dd><dt>Source</dt><dd><a href="${requirementUrl(requirement)}">${esc(requirement.section)}</a></dd></dl>
<h2>Fixtures that prove it</h2>${list(fixtures, 'No fixture names this requirement yet.')}
<h2>Checks that enforce it</h2>${enforced}
<h2>Mutants that trip it</h2>${requirement.binds === 'client' ? '<p>Not applicable: mutants are broken servers.</p>' : list(mutants, model.mutants.length ? 'No mutant was seen to trip it.' : 'No mutant report (reports/mutants.json) was found.')}
<h2>Implementations that break it</h2>${model.implementations.length ? list(breakers, 'None of the judged implementations breaks it.') : '<p>No matrix report was found.</p>'}
</article>`;
  return { path, title: requirement.id, section: 'requirements', main };
}

export function requirementIndexPage(model: SiteModel): Page {
  const path = paths.requirements;
  const rows = model.requirements.map((r) => [link(path, paths.requirement(r.id), `<code>${esc(r.id)}</code>`), `<span class="level ${r.level}">${r.level}</span>`, r.binds, r.basis, prose(r.text)]);
  return { path, title: 'Requirements', section: 'requirements', main: `<h1>Requirements</h1><p>${model.requirements.length} rules, each with a stable id that reads like a path.</p>${htmlTable('The requirement catalogue', ['id', 'level', 'binds', 'basis', 'rule'], rows)}` };
}

export function implementationPage(model: SiteModel, implementation: Implementation): Page {
  const path = paths.implementation(implementation.name);
  const byRequirement = new Map<string, string[]>();
  for (const r of implementation.results) byRequirement.set(r.requirement, [...(byRequirement.get(r.requirement) ?? []), r.outcome]);
  const rows = [...byRequirement].map(([id, outcomes]) => {
    const t = tally(outcomes);
    return [link(path, paths.requirement(id), `<code>${esc(id)}</code>`), String(t.pass), String(t.fail), String(t.warn), String(t.skip)];
  });
  const findings = implementation.results
    .filter((r) => r.outcome === 'fail' || r.outcome === 'warn')
    .map((r) => `<li>${badge(r.outcome)} <code>${esc(r.requirement)}</code>${r.fixture && model.fixtureById.has(r.fixture) ? ` on ${link(path, paths.fixture(r.fixture), `<code>${esc(r.fixture)}</code>`)}` : ''} — ${prose(r.message)}${r.repro ? `<pre class="repro"><code>${esc(r.repro)}</code></pre>` : ''}</li>`);
  const main = `<article>
<p class="crumbs"><a href="${href(path, paths.implementations)}">Implementations</a></p>
<h1>${esc(implementation.name)}</h1>
<dl class="facts"><dt>Kind</dt><dd>${implementation.kind}</dd><dt>Language</dt><dd>${esc(implementation.language)}</dd><dt>Library</dt><dd>${esc(implementation.library)}</dd><dt>Pinned version</dt><dd><code>${esc(implementation.version)}</code></dd><dt>Status</dt><dd>${esc(implementation.status)}</dd></dl>
<h2>Results by requirement</h2>${rows.length ? htmlTable('Pass, fail, warn and skip counts', ['requirement', 'pass', 'fail', 'warn', 'skip'], rows) : '<p>No results.</p>'}
<h2>Findings</h2>${findings.length ? `<ul class="findings">${findings.join('')}</ul>` : '<p>No failure or warning.</p>'}
</article>`;
  return { path, title: implementation.name, section: 'implementations', main };
}

export function implementationIndexPage(model: SiteModel): Page {
  const path = paths.implementations;
  const section = (kind: Implementation['kind'], title: string) => {
    const rows = model.implementations.filter((i) => i.kind === kind).map((i) => {
      const t = tally(i.results.map((r) => r.outcome));
      return [link(path, paths.implementation(i.name), esc(i.name)), esc(i.language), `<code>${esc(i.version)}</code>`, esc(i.status), `${t.pass}/${t.fail}/${t.warn}/${t.skip}`];
    });
    return rows.length ? `<h2>${title}</h2>${htmlTable(`${title}: pass/fail/warn/skip`, ['implementation', 'language', 'version', 'status', 'results'], rows)}` : '';
  };
  const body = model.implementations.length ? section('server', 'Servers') + section('client', 'Clients') : '<p>No matrix report was found when this site was built: run <code>npm run matrix</code> (and the client matrix) first, then build the site again.</p>';
  return { path, title: 'Implementations', section: 'implementations', main: `<h1>Implementations</h1>${body}` };
}

export function coveragePage(model: SiteModel): Page {
  const path = paths.coverage;
  let gaps = 0;
  const rows = model.requirements.map((r) => {
    const fixtures = model.fixturesByRequirement.get(r.id)?.length ?? 0;
    const checks = model.checksByRequirement.get(r.id)?.length ?? 0;
    const mutants = model.mutantsByRequirement.get(r.id)?.length ?? 0;
    const breakers = model.breakersByRequirement.get(r.id)?.length ?? 0;
    const server = r.binds !== 'client';
    const missing = fixtures === 0 || (server && (checks === 0 || (model.mutants.length > 0 && mutants === 0)));
    if (missing) gaps++;
    const cellOf = (n: number, applies = true) => (!applies ? '<span class="na">n/a</span>' : n === 0 ? '<span class="gap">0 — gap</span>' : String(n));
    return [link(path, paths.requirement(r.id), `<code>${esc(r.id)}</code>`), r.level, cellOf(fixtures), server ? cellOf(checks) : 'client harness', cellOf(mutants, server && model.mutants.length > 0), String(breakers)];
  });
  const main = `<h1>Coverage</h1><p>Every requirement against the fixtures that prove it, the checks that enforce it, the mutants that trip it and the implementations that break it. ${gaps} gap${gaps === 1 ? '' : 's'}.</p>${htmlTable('Coverage by requirement', ['requirement', 'level', 'fixtures', 'checks', 'mutants', 'implementations breaking it'], rows)}`;
  return { path, title: 'Coverage', section: 'coverage', main };
}

export function homePage(model: SiteModel): Page {
  const path = paths.home;
  const count = (pred: (f: SiteModel['fixtures'][number]['fixture']) => boolean) => model.fixtures.filter(({ fixture }) => pred(fixture)).length;
  const vectors = count((f) => f.kind === 'stream' && !f.send);
  const servers = count((f) => f.kind === 'stream' && f.send !== undefined);
  const scenarios = count((f) => f.kind === 'scenario');
  const impl = model.implementations;
  const main = `<h1>Server-Sent Events, rule by rule</h1>
<p>An <strong>event stream</strong> is an HTTP response of type <code>text/event-stream</code> that stays open: UTF-8 text in lines, ended by CR, LF or CRLF. Lines <code>field: value</code> build an event (<code>data</code>, <code>event</code>, <code>id</code>, <code>retry</code>), a line starting with a colon is a comment, and a blank line dispatches the event. When the connection drops, the client reconnects after the <code>retry</code> time and sends the last id it saw as <code>Last-Event-ID</code>, so the server can resume.</p>
<h2>How to read this site</h2>
<ul><li><a href="${paths.fixtures}">Fixtures</a> are the protocol's examples with their exact bytes: parse vectors (bytes in, events out), server fixtures (messages an application sends) and scenarios (reconnection, several connections).</li>
<li><a href="${paths.requirements}">Requirements</a> are the rules, each with its level, the spec's sentence and a link to WHATWG HTML.</li>
<li><a href="${paths.implementations}">Implementations</a> are real servers and clients judged on the corpus, with the bugs found and a <code>curl</code> line to reproduce each.</li>
<li><a href="${paths.coverage}">Coverage</a> shows, per requirement, what proves and enforces it, and where the gaps are.</li></ul>
<p>On the wire, invisible bytes are drawn as tokens: <span class="tok eol">LF</span> <span class="tok eol">CR</span> <span class="tok eol">CRLF</span> line ends, <span class="tok bom">BOM</span>, <span class="tok ctl">NUL</span>, <span class="tok bad">xFF</span> (not UTF-8), <span class="tok edge">┊</span> a chunk boundary and <span class="tok pause">pause 100 ms</span> the server waiting.</p>
<h2>Coverage</h2>
<ul class="figures"><li><strong>${model.fixtures.length}</strong> fixtures: ${vectors} parse vectors, ${servers} server fixtures, ${scenarios} scenarios</li>
<li><strong>${model.requirements.length}</strong> requirements, <strong>${model.checks.length}</strong> checks, <strong>${model.mutants.length}</strong> mutants</li>
<li><strong>${impl.filter((i) => i.kind === 'server').length}</strong> servers and <strong>${impl.filter((i) => i.kind === 'client').length}</strong> clients judged, in ${new Set(impl.map((i) => i.language)).size} languages</li></ul>`;
  return { path, title: 'Home', section: 'home', main };
}
