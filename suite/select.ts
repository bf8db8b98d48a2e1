/**
 * --only / --skip: globs (`*`, `?`) over fixture ids, categories, check names, requirement ids
 * and result ids. A pattern without a glob character also matches as a prefix at a `.`, `/` or
 * `-` boundary, so `server.resume` selects every `server.resume.*` requirement.
 */
export interface Selection {
  only: string[];
  skip: string[];
}

function toRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return /[*?]/.test(pattern) ? new RegExp(`^${body}$`) : new RegExp(`^${body}(?:$|[./-])`);
}

export function compileSelection(selection: Selection): (names: readonly (string | null | undefined)[]) => boolean {
  const only = selection.only.map(toRegExp);
  const skip = selection.skip.map(toRegExp);
  return (names) => {
    const present = names.filter((n): n is string => typeof n === 'string');
    const hit = (patterns: RegExp[]) => patterns.some((p) => present.some((n) => p.test(n)));
    return (only.length === 0 || hit(only)) && !hit(skip);
  };
}
