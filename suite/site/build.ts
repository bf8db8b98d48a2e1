/**
 * Builds the documentation site: a static folder of HTML pages (relative links, nothing loaded
 * from off the machine) from the corpus, the requirement catalogue, the checks and whatever the
 * matrices and mutant tests left in the reports folder.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STYLESHEET, SEARCH_SCRIPT } from './assets.ts';
import { coveragePage, homePage, implementationIndexPage, implementationPage, requirementIndexPage, requirementPage } from './catalogue-pages.ts';
import { fixtureIndexPage, fixturePage } from './fixture-pages.ts';
import { paths, renderPage, type Page } from './html.ts';
import { readImplementations, readMutants } from './implementations.ts';
import { buildModel, type SiteInput } from './model.ts';

export interface SiteSummary {
  outDir: string;
  pages: number;
  fixtures: number;
  requirements: number;
  implementations: number;
  mutants: number;
}

/** Every page of the site, in memory. */
export function sitePages(input: SiteInput): Page[] {
  const model = buildModel(input);
  return [
    homePage(model),
    fixtureIndexPage(model),
    ...model.fixtures.map(({ fixture }) => fixturePage(model, fixture)),
    requirementIndexPage(model),
    ...model.requirements.map((r) => requirementPage(model, r)),
    implementationIndexPage(model),
    ...model.implementations.map((i) => implementationPage(model, i)),
    coveragePage(model),
  ];
}

function searchIndex(input: SiteInput): string {
  const entries = [
    ...input.fixtures.map(({ fixture }) => ({ id: fixture.id, title: fixture.title.replace(/`/g, ''), path: paths.fixture(fixture.id) })),
    ...input.requirements.map((r) => ({ id: r.id, title: r.text.replace(/`/g, ''), path: paths.requirement(r.id) })),
  ];
  return `window.SSE_SEARCH = ${JSON.stringify(entries)};\n`;
}

export interface BuildOptions extends Omit<SiteInput, 'implementations' | 'mutants'> {
  outDir: string;
  /** Where the matrices and mutant tests wrote their reports (read if present). */
  reportsDir: string;
}

export function buildSite(options: BuildOptions): SiteSummary {
  const input: SiteInput = { ...options, implementations: readImplementations(options.reportsDir), mutants: readMutants(options.reportsDir) };
  const pages = sitePages(input);
  rmSync(options.outDir, { recursive: true, force: true });
  for (const page of pages) {
    const file = join(options.outDir, page.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderPage(page));
  }
  mkdirSync(join(options.outDir, 'assets'), { recursive: true });
  writeFileSync(join(options.outDir, 'assets', 'site.css'), STYLESHEET);
  writeFileSync(join(options.outDir, 'assets', 'search.js'), SEARCH_SCRIPT);
  writeFileSync(join(options.outDir, 'assets', 'search-index.js'), searchIndex(input));
  return { outDir: options.outDir, pages: pages.length, fixtures: input.fixtures.length, requirements: input.requirements.length, implementations: input.implementations.length, mutants: input.mutants.length };
}
