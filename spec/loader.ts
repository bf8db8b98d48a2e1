/**
 * Reads every fixture file, validates it against `fixture.schema.json` and the requirement
 * catalogue, and fails loudly: an error names the file, the YAML line and what is wrong. A typo'd
 * key would otherwise silently drop an expectation and a check would pass having tested nothing.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Fixture, LoadedFixture } from './fixture.ts';
import { getRequirement } from './requirements.ts';

const Ajv = AjvModule.default ?? AjvModule;

export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const schema = JSON.parse(readFileSync(new URL('./fixture.schema.json', import.meta.url), 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problems: string[],
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problems.join('; ')}`);
    this.name = 'FixtureError';
  }
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listYaml(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'enum') return `${where} must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** The most specific schema errors: `oneOf`/`anyOf` wrappers repeat what their branches said. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  return specific.length > 0 ? specific : errors;
}

/** Parses and validates one fixture file's text. `file` is used in messages only. */
export function parseFixture(text: string, file: string): Fixture {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new FixtureError(file, line, [`invalid YAML: ${first.message.split('\n')[0]}`]);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const lineOf = (pointer: string): number | undefined => {
    const path = pointer.split('/').slice(1).map((key) => (/^\d+$/.test(key) ? Number(key) : key.replace(/~1/g, '/').replace(/~0/g, '~')));
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  if (!validate(value)) {
    const errors = relevant(validate.errors ?? []);
    const first = errors[0];
    // For an unknown key, point at the key itself rather than at the object holding it.
    const extra = first?.keyword === 'additionalProperties' ? `/${(first.params as { additionalProperty: string }).additionalProperty}` : '';
    throw new FixtureError(file, lineOf(`${first?.instancePath ?? ''}${extra}`), errors.slice(0, 5).map(describe));
  }
  const fixture = value as Fixture;
  const unknown = fixture.requirements.filter((id) => !getRequirement(id));
  if (unknown.length > 0) {
    throw new FixtureError(file, lineOf('/requirements'), [`requirement ${unknown.map((id) => `"${id}"`).join(', ')} is not in spec/requirements.ts`]);
  }
  const expectedName = `${fixture.id}.yaml`;
  if (basename(file) !== expectedName && basename(file) !== `${fixture.id}.yml`) {
    throw new FixtureError(file, lineOf('/id'), [`id "${fixture.id}" does not match the file name (expected ${expectedName})`]);
  }
  return fixture;
}

/**
 * Loads all fixtures below `dir` (default: the project's `fixtures/`). Each file's folder must be
 * its category, and ids are unique across the corpus.
 */
export function loadFixtures(dir: string = FIXTURES_DIR): LoadedFixture[] {
  const loaded: LoadedFixture[] = [];
  const seen = new Map<string, string>();
  for (const path of listYaml(dir)) {
    const file = relative(process.cwd(), path) || path;
    const fixture = parseFixture(readFileSync(path, 'utf8'), file);
    const folder = basename(dirname(path));
    if (folder !== fixture.category && dirname(path) !== dir) {
      throw new FixtureError(file, undefined, [`category "${fixture.category}" does not match its folder "${folder}"`]);
    }
    const twin = seen.get(fixture.id);
    if (twin) throw new FixtureError(file, undefined, [`id "${fixture.id}" is already used by ${twin}`]);
    seen.set(fixture.id, file);
    loaded.push({ fixture, file });
  }
  return loaded;
}
