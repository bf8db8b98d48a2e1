// Registered with --import: prints every module URL the process resolves, one per line on stderr,
// prefixed "import:", so a test can see what a command loads.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write('import: ' + resolved.url + '\\n');
  return resolved;
}`));
