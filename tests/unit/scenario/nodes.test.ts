// Proves the node list a topology starts with (ids, kinds, regions, order) and which names a scenario may use.
import { describe, expect, it } from 'vitest';
import { describeNodeIds, initialNodes, isWellFormedNodeRef } from '../../../src/sim/scenario/nodes';
import { DEFAULT_TOPOLOGY } from '../../../src/sim/scenario/defaults';
import type { Topology } from '../../../src/sim/scenario/types';

const full: Topology = {
  ...DEFAULT_TOPOLOGY,
  orchestrators: 2,
  servers: 2,
  database: { standbys: [{ replication: 'sync', region: 'primary' }, { replication: 'async', region: 'dr' }], witness: true },
  backups: { incrementalEveryMs: 1000, fullEveryMs: 5000, offsite: true },
};

describe('initialNodes', () => {
  it('lists every node in the stable order, with kind and region', () => {
    expect(initialNodes(full)).toEqual([
      { id: 'orch-1', kind: 'orchestrator', region: 'primary' },
      { id: 'orch-2', kind: 'orchestrator', region: 'primary' },
      { id: 'lb', kind: 'load-balancer', region: 'primary' },
      { id: 'api-1', kind: 'server', region: 'primary' },
      { id: 'api-2', kind: 'server', region: 'primary' },
      { id: 'db-1', kind: 'database', region: 'primary' },
      { id: 'db-2', kind: 'database', region: 'primary' },
      { id: 'db-3', kind: 'database', region: 'dr' },
      { id: 'witness', kind: 'witness', region: 'primary' },
      { id: 'backup-mumbai', kind: 'backup', region: 'primary' },
      { id: 'backup-singapore', kind: 'backup', region: 'dr' },
    ]);
  });

  it('has no load balancer without servers, and no offsite backup unless asked', () => {
    const ids = initialNodes({ ...full, servers: 0, backups: { ...full.backups!, offsite: false } }).map((node) => node.id);
    expect(ids).not.toContain('lb');
    expect(ids).toContain('backup-mumbai');
    expect(ids).not.toContain('backup-singapore');
  });

  it('an orchestrator-only topology has only orchestrators', () => {
    const ids = initialNodes({ ...DEFAULT_TOPOLOGY, servers: 0 }).map((node) => node.id);
    expect(ids).toEqual(['orch-1', 'orch-2', 'orch-3']);
  });
});

describe('isWellFormedNodeRef', () => {
  it.each([
    ['orch-1', true],
    ['orch-7', true], // a replacement the system may create
    ['api-40', true],
    ['db-3', true],
    ['db-4', true], // beyond the standbys: a restore from backup may create it
    ['db-0', false],
    ['orch-01', false],
    ['lb', true],
    ['witness', true],
    ['backup-singapore', true],
    ['backup-tokyo', false],
    ['@leader', true],
    ['@primary', true],
    ['@last-crashed', true],
    ['*', false],
    ['', false],
    ['__proto__', false],
    ['constructor', false],
  ])('%s → %s', (ref, expected) => {
    expect(isWellFormedNodeRef(ref, full)).toBe(expected);
  });

  it('refuses what a topology lacks', () => {
    const bare: Topology = { ...DEFAULT_TOPOLOGY, orchestrators: 0, servers: 0 };
    for (const ref of ['@leader', '@primary', 'orch-1', 'api-1', 'lb', 'db-1', 'witness', 'backup-mumbai']) {
      expect(isWellFormedNodeRef(ref, bare), ref).toBe(false);
    }
  });

  it('describes the ids compactly for messages', () => {
    expect(describeNodeIds(full)).toBe('orch-1, orch-2, lb, api-1, api-2, db-1 … db-3, witness, backup-mumbai, backup-singapore');
  });
});
