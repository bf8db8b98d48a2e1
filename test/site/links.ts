/** Reads a built site from disk: its pages and every internal link that does not resolve. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export function sitePages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** `page → target` for every relative href or src that names no file of the site. */
export function brokenLinks(dir: string): string[] {
  const broken: string[] = [];
  for (const page of sitePages(dir)) {
    const html = readFileSync(join(dir, page), 'utf8');
    for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const target = match[1]!.replace(/&amp;/g, '&');
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const file = join(dir, dirname(page), target.split('#')[0]!);
      if (!existsSync(file) || statSync(file).isDirectory()) broken.push(`${page} → ${target}`);
    }
  }
  return broken;
}
