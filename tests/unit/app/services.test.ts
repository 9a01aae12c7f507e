// Proves that the page reads the stateless tier off the kernel's NodeState as a learner needs it: the load balancer's rotation, a server's requests in flight, a replacement's countdown and a replaced node's successor, each role in words, who watches whom, and the links drawn for the tier.
import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../../src/sim/world/simulation';
import { linkKeys, linkPeers } from '../../../src/app/graph/links';
import { nodeLabel, roleLook } from '../../../src/app/graph/roles';
import { backendsOf, inFlightWords, lifeNote, rotationWords, toBorder, watchEdges, watchersOf } from '../../../src/app/graph/services';

function state(partial: Partial<NodeState> & Pick<NodeState, 'id' | 'kind'>, role: string, detail: NodeState['view']['detail'] = {}, up = true): NodeState {
  return { region: 'primary', up, view: { role, term: null, detail }, ...partial };
}

const LB = state(
  {
    id: 'lb',
    kind: 'load-balancer',
    watches: ['api-1', 'api-3', 'api-4'],
    backends: [
      { id: 'api-1', inRotation: true },
      { id: 'api-2', inRotation: false },
      { id: 'api-3', inRotation: true },
      { id: 'api-4', inRotation: false },
    ],
  },
  'balancing',
);
const API1 = state({ id: 'api-1', kind: 'server' }, 'serving', { inFlight: 2, served: 17 });
const API2 = state({ id: 'api-2', kind: 'server', replacedBy: 'api-4' }, 'down', { inFlight: 0, served: 9 }, false);
const API3 = state({ id: 'api-3', kind: 'server' }, 'serving', { inFlight: 0, served: 12 });
const API4 = state({ id: 'api-4', kind: 'server', replaces: 'api-2', readyAtMs: 12_300 }, 'provisioning', {}, false);
const ORCH1 = state({ id: 'orch-1', kind: 'orchestrator', view: { role: 'leader', term: 2, detail: {} }, watches: ['orch-2', 'orch-3'] }, 'leader');
const ORCH2 = state({ id: 'orch-2', kind: 'orchestrator', view: { role: 'follower', term: 2, detail: {} }, watches: ['api-1', 'api-3'] }, 'follower');
const ORCH3 = state({ id: 'orch-3', kind: 'orchestrator', view: { role: 'follower', term: 2, detail: {} }, watches: ['api-4', 'gone-9'] }, 'follower');
const NODES = [ORCH1, ORCH2, ORCH3, LB, API1, API2, API3, API4];
const IDS = NODES.map((n) => n.id);
const BY_ID = Object.fromEntries(NODES.map((n) => [n.id, n]));

describe('the load balancer and the servers', () => {
  it('counts the servers in rotation out of the load balancer’s typed list', () => {
    expect(backendsOf(LB).map((b) => b.id)).toEqual(['api-1', 'api-2', 'api-3', 'api-4']);
    expect(rotationWords(LB)).toBe('2 of 4 in rotation');
    expect(rotationWords(state({ id: 'lb-9', kind: 'load-balancer' }, 'balancing'))).toBe('0 of 0 in rotation');
  });

  it('says how many requests a server holds', () => {
    expect(inFlightWords(API1)).toBe('2 in flight');
    expect(inFlightWords(state({ id: 'api-9', kind: 'server' }, 'serving'))).toBeNull();
  });

  it('names the new roles by word and glyph, and shows a provisioning machine as provisioning even while the kernel counts it down', () => {
    expect(roleLook(LB)).toMatchObject({ role: 'balancing', word: 'balancing' });
    expect(roleLook(API1)).toMatchObject({ role: 'serving', word: 'serving' });
    expect(roleLook(API4)).toMatchObject({ role: 'provisioning', word: 'provisioning' });
    expect(roleLook(API2).role).toBe('down');
    for (const node of NODES) expect(roleLook(node).glyph).not.toBe('◆');
  });

  it('puts the replacement into the accessible name of both machines', () => {
    expect(nodeLabel(API2)).toBe('api-2, down, replaced by api-4');
    expect(nodeLabel(API4)).toBe('api-4, provisioning, replaces api-2');
    expect(nodeLabel(ORCH1)).toBe('orch-1, leader, term 2');
  });

  it('names no term or epoch for a machine the cloud is starting or an operator is restoring: the number its machine last held says nothing yet', () => {
    const db1 = state({ id: 'db-1', kind: 'database', view: { role: 'standby', term: 1, detail: {} } }, 'standby', {}, false);
    expect(nodeLabel(db1)).toBe('db-1, down, epoch 1');
    expect(nodeLabel({ ...db1, restoring: { from: 'backup-mumbai', upToLsn: '0/1381C', readyAtMs: 54_598 } })).toBe('db-1, restoring');
    expect(nodeLabel({ ...ORCH1, replaces: 'orch-2', view: { role: 'provisioning', term: 2, detail: {} } })).toBe('orch-1, provisioning, replaces orch-2');
  });
});

describe('a machine’s life', () => {
  it('counts down to a replacement’s boot, in tenths rounded up, and says when', () => {
    expect(lifeNote(API4, 10_000)).toEqual({ kind: 'provisioning', replaces: 'api-2', readyAtMs: 12_300, countdown: 'ready in 2.3 s', readyAt: 'at 12.3 s' });
    expect(lifeNote(API4, 12_250)).toMatchObject({ countdown: 'ready in 0.1 s' });
    expect(lifeNote(API4, 12_300)).toMatchObject({ countdown: 'booting' });
  });

  it('names the successor of a replaced machine, and says nothing of an ordinary one', () => {
    expect(lifeNote(API2, 0)).toEqual({ kind: 'replaced', by: 'api-4' });
    expect(lifeNote(API1, 0)).toBeNull();
    expect(lifeNote({ ...API4, view: { ...API4.view, role: 'serving' }, up: true }, 0)).toBeNull();
  });
});

describe('who watches whom', () => {
  it('lists each watch once, with its kind, skipping nodes that are not on the graph', () => {
    expect(watchEdges(IDS, BY_ID)).toEqual([
      { watcher: 'orch-1', watched: 'orch-2', kind: 'leader' },
      { watcher: 'orch-1', watched: 'orch-3', kind: 'leader' },
      { watcher: 'orch-2', watched: 'api-1', kind: 'worker' },
      { watcher: 'orch-2', watched: 'api-3', kind: 'worker' },
      { watcher: 'orch-3', watched: 'api-4', kind: 'worker' },
      { watcher: 'lb', watched: 'api-1', kind: 'balancer' },
      { watcher: 'lb', watched: 'api-3', kind: 'balancer' },
      { watcher: 'lb', watched: 'api-4', kind: 'balancer' },
    ]);
  });

  it('finds who watches a node', () => {
    expect(watchersOf('api-1', IDS, BY_ID)).toEqual(['orch-2', 'lb']);
    expect(watchersOf('api-2', IDS, BY_ID)).toEqual([]);
  });

  it('ends an arrow on the watched node’s border, not under it', () => {
    // From the left, level with the centre of a 132 × 92 box at (500, 300): the border is at x = 434.
    expect(toBorder(100, 300, 500, 300, 132, 92, 0)).toEqual([434, 300]);
    // From straight above: the top border at y = 254, backed off by the gap.
    expect(toBorder(500, 0, 500, 300, 132, 92, 4)).toEqual([500, 250]);
  });
});

describe('links of the tier', () => {
  const kindOf = (id: string) => BY_ID[id]?.kind;

  it('joins the load balancer to every server from the start, but not the servers to each other', () => {
    const keys = linkKeys(IDS, kindOf, []);
    for (const api of ['api-1', 'api-2', 'api-3', 'api-4']) expect(keys).toContain(`${api}|lb`);
    expect(keys.filter((k) => k.startsWith('api-') && k.includes('|api-'))).toEqual([]);
  });

  it('offers the inspector the links that exist: the load balancer to its servers, a server to the load balancer', () => {
    expect(linkPeers('lb', IDS, kindOf)).toEqual(['api-1', 'api-2', 'api-3', 'api-4']);
    expect(linkPeers('api-3', IDS, kindOf)).toEqual(['lb']);
    expect(linkPeers('orch-2', IDS, kindOf)).toEqual(['orch-1', 'orch-3']);
  });
});
