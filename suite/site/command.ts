/** `sse-conformance docs`: writes the documentation site to a folder. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixtures } from '../../spec/loader.ts';
import { requirements } from '../../spec/requirements.ts';
import { checks } from '../checks/index.ts';
import { buildSite } from './build.ts';

export const DOCS_HELP = `Usage: sse-conformance docs [--out site] [--reports reports] [--fixtures <dir>]

Writes a static site (open <out>/index.html from disk, or host it anywhere): one page per
fixture, per requirement and per judged implementation, a coverage table and a search box.
Where <reports> holds matrix.json, client-matrix.json or mutants.json (from "npm run matrix",
"npm run client-matrix" and "npm test"), their results appear on the pages.

Options:
  --out <dir>         where to write the site (default site/; the folder is replaced)
  --reports <dir>     where to read the matrices' reports (default reports/)
  --fixtures <dir>    document the fixtures in <dir> instead of the built-in corpus`;

export function docs(args: string[]): number {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, reports: { type: 'string' }, fixtures: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(`${DOCS_HELP}\n`);
    return 0;
  }
  const fixtures = values.fixtures ? loadFixtures(resolve(values.fixtures)) : loadFixtures();
  const summary = buildSite({ outDir: resolve(values.out ?? 'site'), reportsDir: resolve(values.reports ?? 'reports'), fixtures, requirements, checks });
  process.stdout.write(
    `wrote ${summary.pages} pages to ${summary.outDir} (${summary.fixtures} fixtures, ${summary.requirements} requirements, ${summary.implementations} implementations, ${summary.mutants} mutants); open ${resolve(summary.outDir, 'index.html')}\n`,
  );
  return 0;
}
