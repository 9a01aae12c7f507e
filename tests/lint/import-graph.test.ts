/**
 * The shape of the code's imports, read from the sources themselves (static, type-only, re-export
 * and dynamic imports alike, as TypeScript's own pre-processor finds them):
 *
 * - no import circle anywhere in src: a circle means two modules cannot be understood, tested or
 *   moved apart, and it is where load-order bugs hide;
 * - the page, the worker, the command line and the benchmarks reach the simulation core only
 *   through its door, src/sim/index.ts (the lint says the same for static imports; this also sees
 *   a dynamic `import()`);
 * - the core imports nothing outside itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names, as the bundler resolves it; null for a package. */
function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(ROOT, from)} imports ${specifier}, which names no file`);
}

/** Each source file of `src` and the source files it imports. */
function importGraph(root = SRC): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The import circles: each strongly connected group of more than one file (or a file importing itself). */
function importCircles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative so that a long chain cannot overflow the stack.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        if (group.length > 1 || edges.includes(frame.node)) circles.push(group.sort());
      }
    }
  }
  return circles;
}

const named = (files: readonly string[]) => files.map((f) => relative(ROOT, f));

describe('the import graph of src', () => {
  const graph = importGraph();

  it('reads the sources and their imports', () => {
    expect(graph.size).toBeGreaterThan(100);
    const simulation = graph.get(join(SRC, 'sim/world/simulation.ts'));
    expect(simulation).toContain(join(SRC, 'sim/kernel/kernel.ts'));
  });

  it('has no import circle', () => {
    expect(importCircles(graph).map(named)).toEqual([]);
  });

  it('lets the page, the worker, the command line and the benchmarks into the core only through src/sim/index.ts', () => {
    const door = join(SRC, 'sim/index.ts');
    const core = join(SRC, 'sim') + '/';
    const past: string[] = [];
    for (const [file, targets] of graph) {
      if (file.startsWith(core)) continue;
      for (const target of targets) if (target.startsWith(core) && target !== door) past.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
    }
    expect(past).toEqual([]);
  });

  it('keeps the core from importing anything outside it', () => {
    const core = join(SRC, 'sim') + '/';
    const outward: string[] = [];
    for (const [file, targets] of graph) {
      if (!file.startsWith(core)) continue;
      for (const target of targets) if (!target.startsWith(core)) outward.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
    }
    expect(outward).toEqual([]);
  });
});

describe('the circle finder', () => {
  const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it('finds a circle of two and of three, and a file importing itself', () => {
    const circles = importCircles(g({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c', 'f'], f: [], s: ['s'] }));
    expect(circles).toEqual(expect.arrayContaining([['a', 'b'], ['c', 'd', 'e'], ['s']]));
    expect(circles).toHaveLength(3);
  });

  it('finds none in a tree or a diamond', () => {
    expect(importCircles(g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });
});
