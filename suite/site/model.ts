/**
 * The documentation site's model: the corpus, the catalogue, the checks, the mutants and the real
 * implementations, cross-indexed once so every page is a plain lookup. Plain data, no HTML.
 */
import type { Fixture, LoadedFixture } from '../../spec/fixture.ts';
import type { Requirement } from '../../spec/requirements.ts';
import type { Implementation, MutantEvidence } from './implementations.ts';

export interface CheckInfo {
  name: string;
  description: string;
  requirements: readonly string[];
}

export interface SiteInput {
  fixtures: readonly LoadedFixture[];
  requirements: readonly Requirement[];
  checks: readonly CheckInfo[];
  mutants: readonly MutantEvidence[];
  implementations: readonly Implementation[];
}

/** One implementation's verdict on one fixture: the worst of its results there. */
export interface Verdict {
  implementation: Implementation;
  outcome: string;
  message: string;
}

export interface SiteModel extends SiteInput {
  fixtureById: Map<string, Fixture>;
  fileOf: Map<string, string>;
  fixturesByRequirement: Map<string, Fixture[]>;
  checksByRequirement: Map<string, CheckInfo[]>;
  mutantsByRequirement: Map<string, MutantEvidence[]>;
  verdictsByFixture: Map<string, Verdict[]>;
  /** Implementations with a failed or warned result on the requirement. */
  breakersByRequirement: Map<string, Implementation[]>;
}

const SEVERITY: Record<string, number> = { fail: 4, warn: 3, pass: 2, info: 1, skip: 0 };

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

export function buildModel(input: SiteInput): SiteModel {
  const fixtureById = new Map(input.fixtures.map(({ fixture }) => [fixture.id, fixture]));
  const fileOf = new Map(input.fixtures.map(({ fixture, file }) => [fixture.id, file]));
  const fixturesByRequirement = new Map<string, Fixture[]>();
  for (const { fixture } of input.fixtures) for (const id of fixture.requirements) push(fixturesByRequirement, id, fixture);
  const checksByRequirement = new Map<string, CheckInfo[]>();
  for (const check of input.checks) for (const id of check.requirements) push(checksByRequirement, id, check);
  const mutantsByRequirement = new Map<string, MutantEvidence[]>();
  for (const mutant of input.mutants) for (const pair of mutant.tripped) push(mutantsByRequirement, pair.slice(pair.indexOf('/') + 1), mutant);

  const verdictsByFixture = new Map<string, Verdict[]>();
  const breakersByRequirement = new Map<string, Implementation[]>();
  for (const implementation of input.implementations) {
    const worst = new Map<string, Verdict>();
    for (const result of implementation.results) {
      if (result.outcome === 'fail' || result.outcome === 'warn') push(breakersByRequirement, result.requirement, implementation);
      if (result.fixture === null) continue;
      const before = worst.get(result.fixture);
      if (!before || (SEVERITY[result.outcome] ?? 0) > (SEVERITY[before.outcome] ?? 0)) worst.set(result.fixture, { implementation, outcome: result.outcome, message: result.message });
    }
    for (const [fixture, verdict] of worst) push(verdictsByFixture, fixture, verdict);
  }
  return { ...input, fixtureById, fileOf, fixturesByRequirement, checksByRequirement, mutantsByRequirement, verdictsByFixture, breakersByRequirement };
}

/** Pass/fail/warn/skip counts of a list of outcomes. */
export function tally(outcomes: Iterable<string>): Record<'pass' | 'fail' | 'warn' | 'skip', number> {
  const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const o of outcomes) if (o in counts) counts[o as keyof typeof counts]++;
  return counts;
}
