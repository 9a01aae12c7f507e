// Proves that the graph's layout follows the node list of the frames: a node that appears mid-run (a replacement server or orchestrator) never moves a node already drawn, nor a data-centre box, goes where a learner expects it (servers at the end of their row, orchestrators at the end of theirs), and no two nodes ever overlap or leave their box; that a stacked DR box is as wide as the primary one; that tiers read top to bottom, a long server row wraps, and a scenario without boxes gets no room for them.
import { describe, expect, it } from 'vitest';
import { layout, nodeHeight, NODE_WIDTH, type Layout, type LayoutInput } from '../../../src/app/graph/layout';

const orch = (k: number, replaces?: string): LayoutInput => ({ id: `orch-${k}`, kind: 'orchestrator', region: 'primary', ...(replaces ? { replaces } : {}) });
const api = (k: number, replaces?: string): LayoutInput => ({ id: `api-${k}`, kind: 'server', region: 'primary', ...(replaces ? { replaces } : {}) });
const LB: LayoutInput = { id: 'lb', kind: 'load-balancer', region: 'primary' };
const DB: readonly LayoutInput[] = [
  { id: 'db-1', kind: 'database', region: 'primary' },
  { id: 'db-2', kind: 'database', region: 'primary' },
  { id: 'db-3', kind: 'database', region: 'dr' },
  { id: 'backup-mumbai', kind: 'backup', region: 'primary' },
  { id: 'backup-singapore', kind: 'backup', region: 'dr' },
];

/** The servers-only topology of the lesson, then replacements in the order a long run would make them. */
const SERVERS_ONLY: readonly LayoutInput[] = [orch(1), orch(2), orch(3), LB, api(1), api(2), api(3)];
const FULL_STACK: readonly LayoutInput[] = [orch(1), orch(2), orch(3), LB, api(1), api(2), api(3), ...DB];
const REPLACEMENTS: readonly LayoutInput[] = [
  api(4, 'api-2'),
  orch(4, 'orch-2'),
  api(5, 'api-4'),
  api(6, 'api-1'),
  orch(5, 'orch-4'),
  api(7, 'api-3'),
  api(8, 'api-5'),
  orch(6, 'orch-1'),
  api(9, 'api-6'),
  orch(7, 'orch-3'),
  api(10, 'api-7'),
  api(11, 'api-8'),
];

function at(placed: Layout, id: string) {
  const node = placed.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`${id} is not placed`);
  return node;
}

function expectTidy(placed: Layout): void {
  placed.nodes.forEach((a, i) =>
    placed.nodes.slice(i + 1).forEach((b) => {
      const apart = a.x + NODE_WIDTH <= b.x || b.x + NODE_WIDTH <= a.x || a.y + nodeHeight(a.kind) <= b.y || b.y + nodeHeight(b.kind) <= a.y;
      expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
    }),
  );
  for (const node of placed.nodes) {
    const box = placed.regions.find((r) => r.region === node.region)!;
    expect(node.x, `${node.id} inside its box`).toBeGreaterThanOrEqual(box.x);
    expect(node.y).toBeGreaterThanOrEqual(box.y);
    expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(box.x + box.width);
    expect(node.y + nodeHeight(node.kind)).toBeLessThanOrEqual(box.y + box.height);
  }
  const [a, b] = placed.regions;
  if (a && b) {
    const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    expect(apart, 'the two data-centre boxes overlap').toBe(true);
  }
}

describe('layout as nodes appear', () => {
  for (const [name, start] of [
    ['servers only', SERVERS_ONLY],
    ['servers beside a DR data centre', FULL_STACK],
  ] as const) {
    for (const stacked of [false, true]) {
      it(`never moves a node or a box when a replacement appears (${name}${stacked ? ', stacked' : ''})`, () => {
        let previous = layout(start, stacked);
        expectTidy(previous);
        for (let k = 1; k <= REPLACEMENTS.length; k++) {
          const next = layout([...start, ...REPLACEMENTS.slice(0, k)], stacked);
          for (const node of previous.nodes) expect(at(next, node.id), `${node.id} after ${REPLACEMENTS[k - 1]!.id} appeared`).toEqual(node);
          next.regions.forEach((box, i) => {
            expect(box.x).toBe(previous.regions[i]!.x);
            expect(box.y).toBe(previous.regions[i]!.y);
          });
          expect(next.nodes.map((n) => n.id)).toEqual([...start, ...REPLACEMENTS.slice(0, k)].map((n) => n.id));
          expectTidy(next);
          previous = next;
        }
      });
    }
  }

  it('puts a replacement server at the end of the server row', () => {
    const placed = layout([...SERVERS_ONLY, api(4, 'api-2')]);
    expect(at(placed, 'api-4').y).toBe(at(placed, 'api-1').y);
    expect(at(placed, 'api-4').x).toBeGreaterThan(at(placed, 'api-3').x);
    // Where a DR box stands beside, the row keeps spare room for the first replacements.
    const beside = layout([...FULL_STACK, api(4, 'api-2'), api(5, 'api-4')]);
    expect(at(beside, 'api-5').y).toBe(at(beside, 'api-1').y);
  });

  it('puts a replacement orchestrator at the end of the orchestrators\' row, level with it', () => {
    const placed = layout([...SERVERS_ONLY, orch(4, 'orch-2')]);
    const ringRight = Math.max(...[1, 2, 3].map((k) => at(placed, `orch-${k}`).x + NODE_WIDTH));
    const ringTop = Math.min(...[1, 2, 3].map((k) => at(placed, `orch-${k}`).y));
    expect(at(placed, 'orch-4').x).toBeGreaterThan(ringRight);
    expect(at(placed, 'orch-4').y).toBe(ringTop);
    expect(at(placed, 'orch-4').y).toBeLessThan(at(placed, 'lb').y);
  });

  it('with a DR box beside, a replacement that finds no room in its row goes under the other rows, never into the DR box', () => {
    const placed = layout([...FULL_STACK, ...REPLACEMENTS]);
    const lowest = Math.max(...FULL_STACK.filter((n) => n.region === 'primary').map((n) => at(placed, n.id).y));
    expect(at(placed, 'api-11').y).toBeGreaterThan(lowest);
    const [primary, dr] = placed.regions;
    expect(primary!.x + primary!.width).toBeLessThan(dr!.x);
  });

  it('leaves the layout of a topology without replacements as it was', () => {
    const placed = layout(FULL_STACK);
    expect(at(placed, 'lb').y).toBeLessThan(at(placed, 'api-1').y);
    expect(at(placed, 'api-1').y).toBeLessThan(at(placed, 'db-1').y);
    expect(at(placed, 'db-3').x).toBeGreaterThan(placed.regions[0]!.x + placed.regions[0]!.width);
  });

  it('puts the tiers in rows from top to bottom: orchestrators, load balancer, servers, database with its backup store beside it', () => {
    const placed = layout(FULL_STACK);
    expect(at(placed, 'orch-1').y).toBe(at(placed, 'orch-3').y);
    expect(at(placed, 'orch-1').y).toBeLessThan(at(placed, 'lb').y);
    expect(at(placed, 'backup-mumbai').y).toBe(at(placed, 'db-1').y);
  });

  it('wraps a long server row, and keeps orchestrators alone on a ring', () => {
    const servers = Array.from({ length: 14 }, (_, i) => api(i + 1));
    const placed = layout([orch(1), orch(2), orch(3), LB, ...servers]);
    expect(new Set(servers.map((s) => at(placed, s.id).y)).size).toBe(2);
    expectTidy(placed);
    const ringed = layout([orch(1), orch(2), orch(3)]);
    expect(at(ringed, 'orch-1').y).toBeLessThan(at(ringed, 'orch-2').y);
  });

  it('stacked, puts the DR box under the primary one and as wide, so its header has the room of one line', () => {
    const placed = layout(FULL_STACK, true);
    const [primary, dr] = placed.regions;
    expect(dr!.x).toBe(primary!.x);
    expect(dr!.y).toBeGreaterThan(primary!.y + primary!.height);
    expect(dr!.width).toBe(primary!.width);
    expectTidy(placed);
  });

  it('leaves no room for box headers where no boxes are drawn, unless a DR data centre needs its box', () => {
    const bare = layout(SERVERS_ONLY, false, false);
    expect(Math.min(...bare.nodes.map((n) => n.y))).toBe(0);
    expect(Math.min(...layout(SERVERS_ONLY).nodes.map((n) => n.y))).toBeGreaterThan(0);
    expect(layout(FULL_STACK, false, false)).toEqual(layout(FULL_STACK));
  });
});

describe('on a narrow screen', () => {
  // servers-worker-dies on a 390 px phone: four servers across, then orch-4 at the end of the
  // orchestrators' row, made the drawing 4 cards wide and its ids 9.4 px.
  const WORKER_DIES: readonly LayoutInput[] = [orch(1), orch(2), orch(3), LB, api(1), api(2), api(3), api(4)];
  const width = (placed: Layout) => Math.max(...placed.nodes.map((n) => n.x + NODE_WIDTH)) - Math.min(...placed.nodes.map((n) => n.x));

  it('a server row wraps after three, and replacements never widen the drawing past its widest starting row', () => {
    const start = layout(WORKER_DIES, true, false);
    expect(width(start)).toBe(3 * NODE_WIDTH + 2 * 16);
    const added = [orch(4, 'orch-2'), api(5, 'api-1'), api(6, 'api-2'), orch(5, 'orch-1')];
    let previous = start;
    for (let k = 1; k <= added.length; k++) {
      const placed = layout([...WORKER_DIES, ...added.slice(0, k)], true, false);
      const next = added[k - 1]!.id;
      expect(width(placed), `after ${next}`).toBe(width(start));
      for (const node of previous.nodes) expect(at(placed, node.id), `${node.id} after ${next} appeared`).toEqual(node);
      expectTidy(placed);
      previous = placed;
    }
  });

  it('on a wide screen the rows stay as they were: four servers in one row, a replacement orchestrator at the end of its row', () => {
    const placed = layout([...WORKER_DIES, orch(4, 'orch-2')], false, false);
    expect(new Set(['api-1', 'api-2', 'api-3', 'api-4'].map((id) => at(placed, id).y)).size).toBe(1);
    expect(at(placed, 'orch-4').y).toBe(at(placed, 'orch-1').y);
  });
});
