// Proves what a Bully node shows to the outside: only the coordinator accepts client commands, others point to it, and the view, message looks and trace speak the shared vocabulary.
import { describe, expect, it } from 'vitest';
import { bullyProgram } from '../../../src/sim/machines/bully/program';
import { BullyCluster, electedCluster } from './harness';

describe('Bully proposals', () => {
  it('is accepted by the coordinator only; followers refuse and name it', () => {
    const cluster = electedCluster(3);

    expect(cluster.propose('orch-3', 'x')).toMatchObject({ accepted: true, leaderHint: 'orch-3' });
    expect(cluster.propose('orch-1', 'y')).toMatchObject({ accepted: false, leaderHint: 'orch-3' });
    expect(cluster.propose('orch-2', 'z')).toMatchObject({ accepted: false, leaderHint: 'orch-3' });
  });

  it('is refused without a hint while no coordinator is known', () => {
    const cluster = BullyCluster.booted(3);
    expect(cluster.propose('orch-3', 'x')).toMatchObject({ accepted: false, leaderHint: null });
  });

  it('traces nothing but roles and leaders: Bully has no log and no votes', () => {
    const cluster = electedCluster(3);
    cluster.propose('orch-3', 'x');
    cluster.crash('orch-3');
    cluster.fireWherever('election');
    cluster.fireWherever('answer');

    expect(new Set(cluster.traces.map((t) => t.type))).toEqual(new Set(['role', 'leader']));
  });
});

describe('Bully view and message looks', () => {
  it('shows coordinator, candidate and follower with the epoch as term', () => {
    const cluster = BullyCluster.booted(3);
    expect(cluster.view('orch-1')).toEqual({ role: 'candidate', term: 0, detail: { coordinator: null, epoch: 0 } });

    cluster.fireWherever('listen');

    expect(cluster.view('orch-3')).toEqual({ role: 'leader', term: 1, detail: { coordinator: 'orch-3', epoch: 1 } });
    expect(cluster.view('orch-2')).toEqual({ role: 'follower', term: 1, detail: { coordinator: 'orch-3', epoch: 1 } });
  });

  it('draws each message in its family', () => {
    const families = (['Election', 'Answer', 'Coordinator', 'Heartbeat', 'Gossip'] as const).map(
      (type) => bullyProgram.look({ type, epoch: 4 } as never).family,
    );
    expect(families).toEqual(['election', 'vote', 'coordinator', 'heartbeat', 'other']);
    expect(bullyProgram.look({ type: 'Coordinator', epoch: 4 } as never).label).toBe('Coordinator e4');
  });

  it('is an orchestrator program whose disk holds the epoch and nothing else', () => {
    const cluster = electedCluster(3);
    cluster.crash('orch-2');
    expect(bullyProgram.kind).toBe('orchestrator');
    expect(cluster.diskOf('orch-2')).toEqual({ epoch: 1 });
  });
});
