/**
 * What real implementations did with the corpus, read from the matrices' reports when they exist:
 * reports/matrix.json (servers; each judged row's results.json beside its report.html) and
 * reports/client-matrix.json (clients). Missing or unreadable reports mean "no data", never an
 * error: the site then documents the corpus alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ImplementationResult {
  fixture: string | null;
  requirement: string;
  check: string;
  outcome: string;
  message: string;
  repro: string | null;
}

export interface Implementation {
  name: string;
  kind: 'server' | 'client';
  language: string;
  library: string;
  version: string;
  /** `judged`, or why the implementation could not be judged. */
  status: string;
  results: ImplementationResult[];
}

type Json = Record<string, unknown>;

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback);

/** Results from a row: inline (`results`), or a results.json named by `results`/`resultsFile` or beside `report`. */
function resultsOf(row: Json, reportsDir: string): ImplementationResult[] {
  let data: unknown = Array.isArray(row.results) ? { results: row.results } : undefined;
  const file =
    typeof row.resultsFile === 'string' ? row.resultsFile
    : typeof row.results === 'string' ? row.results
    : typeof row.report === 'string' ? join(dirname(row.report), 'results.json')
    : typeof row.service === 'string' ? join('client-matrix', `${row.service}.json`) // the client matrix's per-service results
    : undefined;
  if (data === undefined && file !== undefined) {
    const path = join(reportsDir, file);
    if (existsSync(path)) data = readJson(path);
  }
  const list = (data as Json | undefined)?.results;
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is Json => typeof r === 'object' && r !== null).map((r) => ({
    fixture: typeof r.fixture === 'string' ? r.fixture : null,
    requirement: text(r.requirement),
    check: text(r.check),
    outcome: text(r.outcome ?? r.status),
    message: text(r.message),
    repro: typeof r.repro === 'string' ? r.repro : null,
  }));
}

function rowsOf(report: unknown): Json[] {
  if (typeof report !== 'object' || report === null) return [];
  const r = report as Json;
  const rows = r.targets ?? r.rows ?? r.clients ?? r.services;
  return Array.isArray(rows) ? rows.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
}

function fromMatrix(path: string, kind: Implementation['kind'], reportsDir: string): Implementation[] {
  if (!existsSync(path)) return [];
  return rowsOf(readJson(path)).map((row) => {
    const name = text(row.title ?? row.name ?? row.service ?? row.client ?? row.library, 'unnamed');
    return {
      name,
      kind,
      language: text(row.language, kind === 'server' ? 'node' : 'unknown'),
      library: text(row.library ?? row.client, name),
      version: text(row.version, 'unknown'),
      status: text(row.status ?? (typeof row.problem === 'string' ? row.problem : undefined), 'judged'),
      results: resultsOf(row, reportsDir),
    };
  });
}

/** Every implementation with data in `reportsDir`, servers first. */
export function readImplementations(reportsDir: string): Implementation[] {
  return [...fromMatrix(join(reportsDir, 'matrix.json'), 'server', reportsDir), ...fromMatrix(join(reportsDir, 'client-matrix.json'), 'client', reportsDir)];
}

export interface MutantEvidence {
  name: string;
  bug: string;
  /** `check/requirement` pairs the mutant was seen to fail. */
  tripped: string[];
}

/** reports/mutants.json, written by the mutant tests: which broken server tripped what. */
export function readMutants(reportsDir: string): MutantEvidence[] {
  const data = readJson(join(reportsDir, 'mutants.json')) as Json | undefined;
  const list = data?.mutants;
  if (!Array.isArray(list)) return [];
  return list
    .filter((m): m is Json => typeof m === 'object' && m !== null)
    .map((m) => ({ name: text(m.name), bug: text(m.bug), tripped: Array.isArray(m.tripped) ? m.tripped.map((t) => text(t)) : [] }));
}
