/** JUnit XML: one testsuite per fixture, one testcase per result, for CI dashboards. */
import type { Result, RunResult } from '../result.ts';
import { runProtocols } from '../protocol.ts';

function xml(text: string): string {
  // XML 1.0 cannot carry most control characters at all, even escaped.
  return text
    .replace(/[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function testcase(r: Result): string {
  const open = `    <testcase classname="${xml(`${r.fixture ?? 'endpoint'}.${r.check}`)}" name="${xml(r.id)}" time="0">`;
  const detail = xml(`${r.message}\nrequirement: ${r.requirement} (${r.level}) ${r.specUrl}${r.repro ? `\nrepro: ${r.repro}` : ''}`);
  if (r.outcome === 'fail') return `${open}\n      <failure message="${xml(r.message)}" type="${xml(r.requirement)}">${detail}</failure>\n    </testcase>`;
  if (r.outcome === 'skip') return `${open}\n      <skipped message="${xml(r.message)}"/>\n    </testcase>`;
  if (r.outcome === 'warn') return `${open}\n      <system-out>WARNING: ${detail}</system-out>\n    </testcase>`;
  if (r.outcome === 'info') return `${open}\n      <system-out>INFO: ${detail}</system-out>\n    </testcase>`;
  return `${open}</testcase>`;
}

export function renderJunit(run: RunResult): string {
  const groups = new Map<string, Result[]>();
  for (const r of run.results) groups.set(r.fixture ?? 'endpoint', [...(groups.get(r.fixture ?? 'endpoint') ?? []), r]);
  const suites = [...groups].map(([name, results]) => {
    const failures = results.filter((r) => r.outcome === 'fail').length;
    const skipped = results.filter((r) => r.outcome === 'skip').length;
    const over = runProtocols(results);
    const properties = over ? `    <properties><property name="protocol" value="${xml(over)}"/></properties>\n` : '';
    return `  <testsuite name="${xml(name)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" errors="0">\n${properties}${results.map(testcase).join('\n')}\n  </testsuite>`;
  });
  for (const entry of run.stale) {
    suites.push(`  <testsuite name="baseline" tests="1" failures="1" errors="0">\n    <testcase classname="baseline" name="${xml(entry)}"><failure message="stale baseline entry">${xml(entry)} no longer fails; remove it from the baseline</failure></testcase>\n  </testsuite>`);
  }
  const s = run.summary;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sse-conformance" tests="${s.total}" failures="${s.failed + run.stale.length}" skipped="${s.skipped}" time="${(run.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
