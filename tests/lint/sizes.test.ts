/**
 * The size of the core's files, so that a newcomer can read any one of them: the kernel's files
 * (the loop, the hosts, the queue) stay at most 450 lines each, and no other file of
 * src/sim grows past 700 lines; one that would is split by idea, as machines/database/ was.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const CORE = join(ROOT, 'src/sim');
const KERNEL = join(CORE, 'kernel') + '/';
const KERNEL_MAX_LINES = 450;
const CORE_MAX_LINES = 700;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Lines as `wc -l` counts them: a last line without its newline still counts. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('the size of the core’s files', () => {
  const sizes = sourceFiles(CORE).map((file) => ({ file, lines: lineCount(readFileSync(file, 'utf8')) }));

  it('reads them', () => {
    expect(sizes.length).toBeGreaterThan(50);
    expect(sizes.some((s) => s.file === join(KERNEL, 'kernel.ts'))).toBe(true);
  });

  it(`keeps every kernel file at ${KERNEL_MAX_LINES} lines or fewer`, () => {
    const over = sizes.filter((s) => s.file.startsWith(KERNEL) && s.lines > KERNEL_MAX_LINES);
    expect(over.map((s) => `${relative(ROOT, s.file)}: ${s.lines} lines`)).toEqual([]);
  });

  it(`keeps every other file of src/sim at ${CORE_MAX_LINES} lines or fewer`, () => {
    const over = sizes.filter((s) => s.lines > CORE_MAX_LINES);
    expect(over.map((s) => `${relative(ROOT, s.file)}: ${s.lines} lines`)).toEqual([]);
  });

  it('counts lines as wc -l does', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('a\n\nb\n')]).toEqual([0, 1, 1, 2, 3]);
  });
});
