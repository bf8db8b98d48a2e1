/**
 * Where the package's own files are. The same code runs from two layouts: the TypeScript sources
 * (`<root>/spec/package-files.ts`, development) and the compiled package
 * (`<root>/dist/spec/package-files.js`, what npm installs). Every path to a file shipped beside
 * the code (fixtures, schemas, package.json) is derived here, so no other module assumes a layout.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The package root: the nearest folder above this module that holds package.json. */
export const PACKAGE_ROOT: string = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');

/** True when running the compiled code in `dist/`, false when running the sources. */
export const COMPILED: boolean = join(PACKAGE_ROOT, 'dist') === dirname(here);

/** A path below the package root, e.g. `packagePath('spec', 'fixture.schema.json')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

/** The built-in fixture corpus (YAML, one folder per category). */
export const FIXTURES_DIR: string = packagePath('fixtures');

/**
 * The built-in corpus, parsed and validated at build time (`npm run build`), so the compiled
 * package reads one JSON file instead of parsing every YAML file at start. Only the compiled
 * layout uses it: the sources always read the YAML, so an edited fixture is never shadowed.
 */
export const COMPILED_CORPUS: string | null = COMPILED ? packagePath('dist', 'fixtures.json') : null;
