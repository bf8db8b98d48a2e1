/**
 * `npm run build:wasm`: assembles spec/lines.wat and writes its binary, base64, to
 * spec/lines-wasm.ts, which the interpreter loads (no file read at run time, the same in dist/).
 * `--check` writes nothing and exits 1 when spec/lines-wasm.ts is not what the .wat assembles to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { packagePath } from '../spec/package-files.ts';
import { assembleLines, linesModuleSource } from './lines-wasm-source.ts';

const target = packagePath('spec', 'lines-wasm.ts');
let source: string;
try {
  source = linesModuleSource(await assembleLines(readFileSync(packagePath('spec', 'lines.wat'), 'utf8')));
} catch (error) {
  console.error(`spec/lines.wat: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== source) {
    console.error('spec/lines-wasm.ts is not the assembly of spec/lines.wat: run npm run build:wasm');
    process.exit(1);
  }
  console.log('spec/lines-wasm.ts matches spec/lines.wat');
} else {
  writeFileSync(target, source);
  console.log(`wrote ${target}`);
}
