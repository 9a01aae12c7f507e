// Proves the page's one command registry: each key runs one command (Esc leaves presenter mode before it closes the inspector, digits pick while the partition tool is open and select otherwise), every command can be reached by a key or carries a button's label and title, the availability rules hold (no node action without a selected node, none that the node's state forbids, lesson keys only in a lesson), the help table and presenter legend keep their keys, and a key runs what its command says.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeState } from '../../../src/sim';

// The stores the registry reads listen to the window when they load; the unit tests have none.
vi.hoisted(() => {
  (globalThis as { addEventListener?: unknown }).addEventListener ??= () => {};
});

const { PAGE_COMMANDS, commandForKey, helpRows, legendRows, runKey, titleOf } = await import('../../../src/app/actions/commands');
type PageView = import('../../../src/app/actions/commands').PageView;
const { commands } = await import('../../../src/app/store/engine');

function node(id: string, kind: NodeState['kind'], role: string, up = true): NodeState {
  return { id, kind, region: 'primary', up, view: { role, term: null, detail: {} } };
}

const BASE: PageView = {
  running: true,
  playing: false,
  picking: false,
  presenting: false,
  lesson: false,
  lessonTarget: null,
  selected: null,
  anySelection: false,
  nodeIds: ['orch-1', 'orch-2', 'orch-3', 'db-1', 'db-2'],
  actions: { hasDatabase: true, darkRegions: [], backupStores: [] },
};
const view = (over: Partial<PageView>): PageView => ({ ...BASE, ...over });
const withNode = (n: NodeState, over: Partial<PageView> = {}) => view({ selected: n, anySelection: true, ...over });
const idFor = (key: string, v: PageView) => commandForKey(key, v)?.id ?? null;

/** A spread of page states: every command must be the one a key runs in at least one of them. */
const VIEWS: readonly PageView[] = [
  BASE,
  withNode(node('orch-1', 'orchestrator', 'follower')),
  withNode(node('orch-1', 'orchestrator', 'follower', false)),
  withNode(node('db-2', 'database', 'standby')),
  view({ picking: true }),
  view({ presenting: true, lesson: true, lessonTarget: 'db-1', anySelection: true }),
  view({ lesson: true, lessonTarget: 'db-1', anySelection: true }),
];

afterEach(() => vi.restoreAllMocks());

describe('the command registry', () => {
  it('gives every command a distinct id and a label', () => {
    const ids = PAGE_COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const command of PAGE_COMMANDS) expect(command.label.trim()).not.toBe('');
  });

  it('binds each key of a scope to one command, except Esc, which leaves presenter mode before it closes', () => {
    for (const scope of ['page', 'picking'] as const) {
      const owners = new Map<string, string[]>();
      for (const command of PAGE_COMMANDS.filter((c) => c.scope === scope)) for (const key of command.keys) owners.set(key, [...(owners.get(key) ?? []), command.id]);
      const shared = [...owners].filter(([, ids]) => ids.length > 1);
      expect(shared).toEqual(scope === 'page' ? [['Escape', ['leave-presenter', 'close']]] : []);
    }
    expect(idFor('Escape', view({ presenting: true, anySelection: true }))).toBe('leave-presenter');
    expect(idFor('Escape', view({ anySelection: true }))).toBe('close');
  });

  it('lets every command be reached: by a key in some page state, or by a button with a label and title', () => {
    for (const command of PAGE_COMMANDS) {
      const byKey = command.scope !== 'control' && VIEWS.some((v) => command.keys.some((key) => idFor(key, v) === command.id));
      const documented = command.scope === 'control' && command.help !== undefined;
      expect(byKey || documented || command.keys.length === 0, command.id).toBe(true);
    }
    // A command without a key is reached only by its button (or the node's buttons and menu).
    expect(PAGE_COMMANDS.filter((c) => c.keys.length === 0).map((c) => c.id)).toEqual(['play', 'pause', 'switchover', 'restore', 'copy-link', 'download-report', 'download-trace']);
  });

  it('keeps the keyboard-help table and the presenter legend as they were', () => {
    expect(helpRows().map((row) => row.keys)).toEqual(['Space', '.', '[ / ]', '← / →', 'c', 'r', 'w', 'Shift+P', 'Shift+F10', 'p', 'h', '1 … 9', 'Esc', 'n / b', 's', 'f']);
    expect(legendRows().map((row) => `${row.keys} ${row.words}`)).toEqual([
      'Space play / pause',
      '. step',
      '1–9 pick orch-N',
      's pick the step’s node',
      'c crash',
      'r restart',
      '← → lesson step',
      'Esc leave',
    ]);
    expect(titleOf('heal-all')).toBe('Heal every partition and cut link (h)');
    expect(titleOf('play')).toBe('Play (Space)');
  });
});

describe('when a command is available', () => {
  it('runs no node action without a selected node, and none the node’s state forbids', () => {
    expect(idFor('c', BASE)).toBeNull();
    expect(idFor('c', withNode(node('orch-1', 'orchestrator', 'follower')))).toBe('crash');
    expect(idFor('c', withNode(node('orch-1', 'orchestrator', 'follower', false)))).toBeNull();
    expect(idFor('r', withNode(node('orch-1', 'orchestrator', 'follower', false)))).toBe('restart');
    expect(idFor('P', withNode(node('orch-1', 'orchestrator', 'follower')))).toBeNull();
    expect(idFor('P', withNode(node('db-2', 'database', 'standby')))).toBe('promote');
  });

  it('while the partition tool picks, only picking keys work: digits pick, letters do not break nodes', () => {
    const picking = view({ picking: true, selected: node('orch-1', 'orchestrator', 'follower'), anySelection: true });
    expect(idFor('2', picking)).toBe('pick-node');
    expect(idFor('9', picking)).toBeNull();
    expect(idFor('c', picking)).toBeNull();
    expect(idFor(' ', picking)).toBeNull();
    expect(idFor('Escape', picking)).toBe('pick-cancel');
    expect(idFor('2', BASE)).toBe('select-orch');
  });

  it('takes the lesson keys only in a lesson, and the arrows only in presenter mode', () => {
    expect(idFor('n', BASE)).toBeNull();
    expect(idFor('n', view({ lesson: true }))).toBe('next-step');
    expect(idFor('ArrowRight', view({ lesson: true }))).toBeNull();
    expect(idFor('ArrowLeft', view({ lesson: true, presenting: true }))).toBe('previous-step');
    expect(idFor('s', view({ lesson: true }))).toBeNull();
    expect(idFor('s', view({ lesson: true, lessonTarget: 'db-1' }))).toBe('select-step-node');
  });

  it('does nothing before the simulation runs, and Esc needs something to close', () => {
    expect(idFor(' ', view({ running: false }))).toBeNull();
    expect(idFor('h', view({ running: false }))).toBeNull();
    expect(idFor('Escape', BASE)).toBeNull();
  });
});

describe('a key runs its command', () => {
  it('crashes the selected node on c, heals on h, and plays or pauses on Space', () => {
    const act = vi.spyOn(commands, 'act').mockImplementation(() => {});
    const play = vi.spyOn(commands, 'play').mockImplementation(() => {});
    const pause = vi.spyOn(commands, 'pause').mockImplementation(() => {});
    expect(runKey('c', withNode(node('api-2', 'server', 'serving')))).toBe(true);
    expect(act).toHaveBeenLastCalledWith({ do: 'crash', node: 'api-2' });
    expect(runKey('h', BASE)).toBe(true);
    expect(act).toHaveBeenLastCalledWith({ do: 'heal' });
    runKey(' ', BASE);
    runKey(' ', view({ playing: true }));
    expect(play).toHaveBeenCalledTimes(1);
    expect(pause).toHaveBeenCalledTimes(1);
    expect(runKey('x', BASE)).toBe(false);
  });

  it('offers the embed only the keys it lists', () => {
    const act = vi.spyOn(commands, 'act').mockImplementation(() => {});
    expect(runKey('h', BASE, ['play-pause', 'crash'])).toBe(false);
    expect(act).not.toHaveBeenCalled();
  });
});
