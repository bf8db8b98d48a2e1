/**
 * `npm run build` (also run by `prepack`): compiles the sources to dist/ with tsc (JavaScript,
 * declarations, source maps; tsconfig.build.json) and writes the built-in corpus, parsed and
 * validated once, to dist/fixtures.json so the installed command starts without parsing YAML.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileCorpus } from '../spec/loader.ts';
import { packagePath } from '../spec/package-files.ts';

const dist = packagePath('dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', packagePath('tsconfig.build.json')], { stdio: 'inherit' });
const corpus = compileCorpus();
writeFileSync(packagePath('dist', 'fixtures.json'), JSON.stringify(corpus));
console.log(`built ${dist} (${corpus.length} fixtures in dist/fixtures.json)`);
