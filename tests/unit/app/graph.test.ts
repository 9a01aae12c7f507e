// Proves that the graph draws a link for every pair of orchestrators and of database nodes plus any pair that talked, and that a narrow screen stacks the DR data centre under the primary one.
import { describe, expect, it } from 'vitest';
import { linkKeys } from '../../../src/app/graph/links';
import { layout } from '../../../src/app/graph/layout';

const KINDS: Record<string, string> = { 'orch-1': 'orchestrator', 'orch-2': 'orchestrator', 'db-1': 'database', 'db-2': 'database', 'db-3': 'database' };
const IDS = Object.keys(KINDS);

describe('linkKeys', () => {
  it('meshes orchestrators and databases but not one kind with the other', () => {
    expect(linkKeys(IDS, (id) => KINDS[id], []).sort()).toEqual(['db-1|db-2', 'db-1|db-3', 'db-2|db-3', 'orch-1|orch-2']);
  });

  it('adds a pair that carried a message, and ignores pairs of nodes that are gone', () => {
    const keys = linkKeys(IDS, (id) => KINDS[id], ['db-1|orch-1', 'db-9|orch-1']);
    expect(keys).toContain('db-1|orch-1');
    expect(keys).not.toContain('db-9|orch-1');
  });
});

describe('layout', () => {
  const nodes = [
    { id: 'db-1', kind: 'database' as const, region: 'primary' as const },
    { id: 'db-2', kind: 'database' as const, region: 'dr' as const },
  ];

  it('puts the DR box beside the primary box, or under it when stacked', () => {
    const wide = layout(nodes);
    expect(wide.regions.map((r) => r.region)).toEqual(['primary', 'dr']);
    expect(wide.regions[1]!.x).toBeGreaterThan(wide.regions[0]!.x + wide.regions[0]!.width);
    const stacked = layout(nodes, true);
    expect(stacked.regions[1]!.x).toBe(0);
    expect(stacked.regions[1]!.y).toBeGreaterThan(stacked.regions[0]!.y + stacked.regions[0]!.height);
  });

  it('keeps every node inside its own region box', () => {
    for (const placed of [layout(nodes), layout(nodes, true)]) {
      for (const node of placed.nodes) {
        const box = placed.regions.find((r) => r.region === node.region)!;
        expect(node.x).toBeGreaterThanOrEqual(box.x);
        expect(node.y).toBeGreaterThanOrEqual(box.y);
        expect(node.y).toBeLessThan(box.y + box.height);
      }
    }
  });

  it('draws no DR box when no node lives there', () => {
    expect(layout([nodes[0]!]).regions.map((r) => r.region)).toEqual(['primary']);
  });
});
