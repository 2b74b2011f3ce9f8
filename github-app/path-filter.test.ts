import { describe, expect, it } from 'vitest';
import { touchesPaths } from './path-filter.js';

describe('touchesPaths', () => {
  it('matches globs, with ! excluding', () => {
    const filters = ['prompts/**', 'config/*.yml', '!prompts/**/*.md'];
    expect(touchesPaths(['prompts/support/system.txt'], filters)).toBe(true);
    expect(touchesPaths(['config/model.yml'], filters)).toBe(true);
    expect(touchesPaths(['config/nested/model.yml'], filters)).toBe(false);
    expect(touchesPaths(['prompts/README.md', 'src/app.ts'], filters)).toBe(false);
    expect(touchesPaths(['docs/prompts/intro.txt'], filters)).toBe(false);
  });

  it('counts every change when no filter is set, and none when nothing changed', () => {
    expect(touchesPaths(['anything.txt'], [])).toBe(true);
    expect(touchesPaths([], ['prompts/**'])).toBe(false);
  });

  it('with only exclusions, counts every other file', () => {
    expect(touchesPaths(['docs/a.md'], ['!docs/**'])).toBe(false);
    expect(touchesPaths(['docs/a.md', 'src/b.ts'], ['!docs/**'])).toBe(true);
  });
});
