// Proves that the single list of node actions treats the new kinds as a learner expects: Crash, Restart and Wipe disk work on the load balancer and servers, Promote only on a database, nothing on a machine still being provisioned, no Restart for a replaced one, and Restore… asks which backup store and sends `restore-backup` only for a down database node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeState } from '../../../src/sim/world/simulation';
import { NODE_ACTIONS, offeredActions, performByKey, reasonLines, type ActionContext, type NodeAction } from '../../../src/app/actions/node-actions';
import { commands } from '../../../src/app/store/engine';

function node(id: string, kind: NodeState['kind'], role: string, up = true, extra: Partial<NodeState> = {}): NodeState {
  return { id, kind, region: 'primary', up, view: { role, term: null, detail: {} }, ...extra };
}

const action = (id: NodeAction['id']) => NODE_ACTIONS.find((a) => a.id === id)!;
const NO_BACKUPS: ActionContext = { hasDatabase: true, darkRegions: [], backupStores: [] };
const BACKUPS: ActionContext = {
  hasDatabase: true,
  darkRegions: [],
  backupStores: [
    { id: 'backup-mumbai', up: true },
    { id: 'backup-singapore', up: false },
  ],
};

afterEach(() => vi.restoreAllMocks());

describe('node actions for the stateless tier', () => {
  it('lets the load balancer and a server be crashed, restarted and wiped, but not promoted', () => {
    for (const target of [node('lb', 'load-balancer', 'balancing'), node('api-1', 'server', 'serving')]) {
      expect(action('crash').unavailable(target, NO_BACKUPS)).toBeNull();
      expect(action('wipe-disk').unavailable(target, NO_BACKUPS)).toBeNull();
      expect(action('promote').unavailable(target, NO_BACKUPS)).toMatch(/database/);
      const down = { ...target, up: false };
      expect(action('restart').unavailable(down, NO_BACKUPS)).toBeNull();
    }
  });

  it('sends the crash of a server as the scenario event `crash`', () => {
    const act = vi.spyOn(commands, 'act').mockImplementation(() => {});
    expect(performByKey('c', node('api-2', 'server', 'serving'), NO_BACKUPS)).toBe(true);
    expect(act).toHaveBeenCalledWith({ do: 'crash', node: 'api-2' });
  });

  it('leaves a machine that is still being provisioned alone, and says when it will be ready', () => {
    const provisioning = node('api-4', 'server', 'provisioning', false, { replaces: 'api-2', readyAtMs: 42_000 });
    for (const id of ['crash', 'restart', 'wipe-disk'] as const) expect(action(id).unavailable(provisioning, NO_BACKUPS)).toMatch(/being provisioned \(ready at 42\.0 s\)/);
  });

  it('does not restart a replaced machine: it will not come back', () => {
    const replaced = node('api-2', 'server', 'down', false, { replacedBy: 'api-4' });
    expect(action('restart').unavailable(replaced, NO_BACKUPS)).toMatch(/replaced by api-4/);
  });
});

describe('Restore…', () => {
  it('is offered only where the scenario has backup stores', () => {
    expect(offeredActions(NO_BACKUPS).map((a) => a.id)).toEqual(['crash', 'restart', 'wipe-disk', 'promote', 'switchover']);
    expect(offeredActions(BACKUPS).map((a) => a.id)).toEqual(['crash', 'restart', 'wipe-disk', 'promote', 'switchover', 'restore']);
    expect(action('restore').label).toMatch(/^Restore/);
  });

  it('is for a down database node outside a dark data centre', () => {
    expect(action('restore').unavailable(node('db-1', 'database', 'primary', false), BACKUPS)).toBeNull();
    expect(action('restore').unavailable(node('db-1', 'database', 'primary'), BACKUPS)).toMatch(/running/);
    expect(action('restore').unavailable(node('orch-1', 'orchestrator', 'down', false), BACKUPS)).toMatch(/Only a database/);
    expect(action('restore').unavailable(node('db-1', 'database', 'down', false), { ...BACKUPS, darkRegions: ['primary'] })).toMatch(/dark/);
  });

  it('asks which store, offering the ones present, and one that is down cannot be chosen', () => {
    const db = node('db-1', 'database', 'down', false);
    expect(action('restore').ask!.question(db)).toBe('Restore db-1 from which backup store?');
    expect(action('restore').ask!.choices(db, BACKUPS)).toEqual([
      { value: 'backup-mumbai', label: 'Restore from backup-mumbai', unavailable: null },
      { value: 'backup-singapore', label: 'Restore from backup-singapore', unavailable: 'backup-singapore is down: its backups cannot be read.' },
    ]);
  });

  it('sends restore-backup with the chosen store, and nothing without one', () => {
    const act = vi.spyOn(commands, 'act').mockImplementation(() => {});
    const db = node('db-1', 'database', 'down', false);
    action('restore').perform(db);
    expect(act).not.toHaveBeenCalled();
    action('restore').perform(db, 'backup-mumbai');
    expect(act).toHaveBeenCalledWith({ do: 'restore-backup', node: 'db-1', from: 'backup-mumbai' });
  });
});

describe('the reasons the inspector shows', () => {
  const reasons = (target: NodeState) => offeredActions(NO_BACKUPS).map((a) => [a.id, a.unavailable(target, NO_BACKUPS)] as const);

  it('shows a reason shared by several actions once, and keeps every reason for its button', () => {
    const provisioning = node('api-4', 'server', 'provisioning', false, { readyAtMs: 9000 });
    const lines = reasonLines(provisioning, reasons(provisioning));
    expect(lines.map((l) => l.id)).toEqual(['crash', 'restart', 'wipe-disk', 'promote', 'switchover']);
    expect(lines.filter((l) => l.shown).map((l) => l.id)).toEqual(['crash', 'promote', 'switchover']);
  });

  it('does not show what a button says for itself: Crash on a down node, Restart on a running or replaced one', () => {
    const replaced = node('api-2', 'server', 'down', false, { replacedBy: 'api-4' });
    expect(reasonLines(replaced, reasons(replaced)).filter((l) => l.shown).map((l) => l.id)).toEqual(['promote', 'switchover']);
    const running = node('api-1', 'server', 'serving');
    expect(reasonLines(running, reasons(running)).filter((l) => l.shown).map((l) => l.id)).toEqual(['promote', 'switchover']);
  });
});

describe('Switchover', () => {
  const ORCHESTRATED: ActionContext = { ...NO_BACKUPS, agentsDecide: true };

  it('is offered next to Promote wherever there is a database: the orchestrators carry it out, or without them the primary hands over itself', () => {
    expect(offeredActions(ORCHESTRATED).map((a) => a.id)).toEqual(['crash', 'restart', 'wipe-disk', 'promote', 'switchover']);
    expect(offeredActions(NO_BACKUPS).map((a) => a.id)).toEqual(['crash', 'restart', 'wipe-disk', 'promote', 'switchover']);
    expect(offeredActions({ ...NO_BACKUPS, hasDatabase: false }).some((a) => a.id === 'switchover')).toBe(false);
  });

  it('hands over only to a running standby, and says why not otherwise', () => {
    expect(action('switchover').unavailable(node('db-2', 'database', 'standby'), ORCHESTRATED)).toBeNull();
    expect(action('switchover').unavailable(node('db-1', 'database', 'primary'), ORCHESTRATED)).toMatch(/already the primary/);
    expect(action('switchover').unavailable(node('db-3', 'database', 'rebuilding'), ORCHESTRATED)).toMatch(/rebuilding/);
    expect(action('switchover').unavailable(node('db-2', 'database', 'standby', false), ORCHESTRATED)).toMatch(/down/);
    expect(action('switchover').unavailable(node('lb', 'load-balancer', 'balancing'), ORCHESTRATED)).toMatch(/database standby/);
  });

  it('sends the scenario event `switchover`', () => {
    const act = vi.spyOn(commands, 'act').mockImplementation(() => {});
    action('switchover').perform(node('db-2', 'database', 'standby'));
    expect(act).toHaveBeenCalledWith({ do: 'switchover', node: 'db-2' });
  });
});
