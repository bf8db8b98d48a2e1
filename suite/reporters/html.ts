/**
 * One self-contained HTML file: the summary, every result, and for each failure or warning the
 * wire transcript (chunk boundaries and arrival times), expected vs actual, and the repro.
 */
import { bySeverity } from '../result-order.ts';
import type { Result, RunResult, TranscriptView } from '../result.ts';
import { describeProtocol, runProtocols } from '../protocol.ts';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const json = (value: unknown) => esc(JSON.stringify(value, null, 2) ?? 'undefined');

function transcript(t: TranscriptView): string {
  const head = `GET ${esc(t.url)}\n${Object.entries(t.requestHeaders).map(([k, v]) => `${esc(k)}: ${esc(v)}`).join('\n')}`;
  const response = t.status === null ? esc(t.error ?? 'no response') : `${t.status} (headers after ${t.headersAt} ms${t.protocol ? `, ${describeProtocol(t.protocol)}` : ''})\n${Object.entries(t.headers).map(([k, v]) => `${esc(k)}: ${esc(v)}`).join('\n')}`;
  const chunks = t.chunks.map((c, i) => `<tr><td>${i + 1}</td><td>${c.t.toFixed(1)} ms</td><td><pre>${esc(c.text)}</pre></td></tr>`).join('');
  const events = t.events.map((e) => `<tr><td>${e.t.toFixed(1)} ms</td><td>${esc(e.type)}</td><td><pre>${esc(JSON.stringify(e.data))}</pre></td><td>${esc(e.lastEventId)}</td></tr>`).join('');
  return `<details><summary>Wire transcript (${t.bytes} bytes, stopped: ${esc(t.stop)}${t.error ? ` — ${esc(t.error)}` : ''})</summary>
<h4>Request</h4><pre>${head}</pre><h4>Response</h4><pre>${response}</pre>
<h4>Chunks as received</h4><table class="chunks"><tr><th>#</th><th>at</th><th>bytes (\\r CR, \\n LF shown)</th></tr>${chunks}</table>
<h4>Events dispatched</h4><table><tr><th>at</th><th>type</th><th>data</th><th>last event id</th></tr>${events}</table></details>`;
}

function row(r: Result): string {
  const details =
    r.outcome === 'fail' || r.outcome === 'warn'
      ? `<tr class="detail"><td colspan="5">
${r.expected !== undefined ? `<div class="cmp"><div><h4>Expected</h4><pre>${json(r.expected)}</pre></div><div><h4>Actual</h4><pre>${json(r.actual)}</pre></div></div>` : ''}
${r.repro ? `<h4>Reproduce</h4><pre class="repro">${esc(r.repro)}</pre>` : ''}
${r.transcript ? transcript(r.transcript) : ''}</td></tr>`
      : '';
  return `<tr class="${r.outcome}"><td>${r.outcome.toUpperCase()}</td><td>${esc(r.fixture ?? '—')}</td><td>${esc(r.check)}</td><td><a href="${esc(r.specUrl)}">${esc(r.requirement)}</a> ${r.level}</td><td>${esc(r.message)}</td></tr>${details}`;
}

export function renderHtml(run: RunResult): string {
  const s = run.summary;
  const ordered = bySeverity(run.results);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sse-conformance: ${esc(run.target)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
tr.fail td:first-child{color:#b00;font-weight:bold}tr.warn td:first-child{color:#a60;font-weight:bold}tr.pass td:first-child{color:#080}tr.skip{color:#888}tr.info td:first-child{color:#068}
tr.detail td{background:#fafafa}pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px}
.cmp{display:flex;gap:2em}.cmp>div{flex:1}.repro{background:#222;color:#eee;padding:6px}
table.chunks td:nth-child(3){background:#eef;border-left:3px solid #99c}
.summary span{margin-right:1.5em;font-weight:bold}
</style></head><body>
<h1>sse-conformance ${esc(run.version)}</h1>
<p>${esc(run.mode)} mode against <code>${esc(run.target)}</code>${runProtocols(run.results) ? ` (${esc(runProtocols(run.results))})` : ''} · started ${esc(run.startedAt)} · ${(run.durationMs / 1000).toFixed(1)} s</p>
<p class="summary"><span style="color:#080">${s.passed} passed</span><span style="color:#b00">${s.failed} failed</span><span style="color:#a60">${s.warned} warned</span><span style="color:#888">${s.skipped} skipped</span>${s.info ? `<span style="color:#068">${s.info} info</span>` : ''}</p>
${run.stale.map((e) => `<p style="color:#b00">Stale baseline entry <code>${esc(e)}</code>: it no longer fails; remove it.</p>`).join('')}
<table><tr><th>outcome</th><th>fixture</th><th>check</th><th>requirement</th><th>message</th></tr>
${ordered.map(row).join('\n')}
</table></body></html>
`;
}
