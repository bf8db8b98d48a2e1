/** The version of a package as installed in clients/node_modules (what a service reports). */
import { readFileSync } from 'node:fs';

export function installedVersion(name) {
  return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
}
