import path from 'node:path';

/**
 * Whether a change touches the configured paths. Patterns are globs (`prompts/**`, `config/*.yml`);
 * a pattern starting with `!` excludes (`!prompts/README.md`). No patterns: every change counts.
 */
export function touchesPaths(changedFiles: Iterable<string>, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const matches = (file: string, globs: string[]) => globs.some((g) => path.posix.matchesGlob(file, g));
  for (const file of changedFiles) {
    if ((include.length === 0 || matches(file, include)) && !matches(file, exclude)) return true;
  }
  return false;
}
