/**
 * The repository documents itself: no source file, test, README or configuration names a document
 * that lives outside it (a clone would find the reference dangling). Formats are described beside
 * the code that owns them (src/sim/scenario/README.md, src/sim/report/README.md, …).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'test-results', 'playwright-report']);
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|html|css|yml|yaml)$/;

// Written in pieces so that this file does not find itself.
const OUTSIDE = new RegExp(['CONTRACT', 'reliability', 'STYLE', 'toolchain', 'performance'].map((name) => `\\b${name}\\.md\\b`).concat(['\\.\\./shared\\b']).join('|'));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) && name !== 'package-lock.json' ? [path] : [];
  });
}

describe('the repository', () => {
  it('names no document outside itself', () => {
    const all = files(ROOT);
    expect(all.length).toBeGreaterThan(200);
    const cited = all.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(cited).toEqual([]);
  });

  it('would notice such a name', () => {
    expect(OUTSIDE.test(`see ${'CONTRACT'}.md section 3`)).toBe(true);
    expect(OUTSIDE.test(`from '../${'shared'}/x'`)).toBe(true);
    expect(OUTSIDE.test('CONTRACT_INVARIANTS')).toBe(false);
  });
});
