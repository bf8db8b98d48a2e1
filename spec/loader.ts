/**
 * Reads every fixture file, validates it against `fixture.schema.json` and the requirement
 * catalogue, and fails loudly: an error names the file, the YAML line and what is wrong. A typo'd
 * key would otherwise silently drop an expectation and a check would pass having tested nothing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as Yaml from 'yaml';
import type { Fixture, LoadedFixture } from './fixture.ts';
import { COMPILED_CORPUS, FIXTURES_DIR, packagePath } from './package-files.ts';
import { getRequirement } from './requirements.ts';

export { FIXTURES_DIR } from './package-files.ts';

// The YAML parser and the schema validator load on first use: the compiled package reads the
// built-in corpus from JSON and needs neither (see package-files.ts).
const require = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;
let validator: ValidateFunction | undefined;

function fixtureValidator(): ValidateFunction {
  if (!validator) {
    const Ajv = require('ajv') as typeof import('ajv').default;
    const schema = JSON.parse(readFileSync(packagePath('spec', 'fixture.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

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
  yaml ??= require('yaml') as typeof Yaml;
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
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
      if (yaml!.isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const validate = fixtureValidator();
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
  if (dir === FIXTURES_DIR && COMPILED_CORPUS !== null && existsSync(COMPILED_CORPUS)) return readCompiledCorpus(COMPILED_CORPUS);
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

/** One entry of the compiled corpus: `file` is relative to the package root. */
export interface CompiledFixture {
  file: string;
  fixture: Fixture;
}

/** The built-in corpus as the build writes it (`dist/fixtures.json`): loaded and validated here. */
export function compileCorpus(): CompiledFixture[] {
  return loadFixtures(FIXTURES_DIR).map(({ fixture, file }) => ({ fixture, file: relative(packagePath(), resolve(file)).split(sep).join('/') }));
}

function readCompiledCorpus(path: string): LoadedFixture[] {
  const corpus = JSON.parse(readFileSync(path, 'utf8')) as CompiledFixture[];
  return corpus.map(({ fixture, file }) => ({ fixture, file: relative(process.cwd(), packagePath(file)) || file }));
}
