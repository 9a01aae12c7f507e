// Proves which lesson step is current given the learner's actions and the simulated time: actions complete the step that asks for them (on its node only), the clock enters timed steps without skipping a step that waits for an action, a seek back rewinds the narrative and replaying forward restores it, and a new action forgets that remembered future.
import { describe, expect, it } from 'vitest';
import type { LessonStep, ScenarioEvent } from '../../../src/sim/scenario/types';
import {
  START,
  actionMatches,
  afterAction,
  followTime,
  lessonKey,
  newEvents,
  resolveNode,
  runSignature,
  sanitize,
  stepBack,
  stepForward,
  summaryShows,
  type LessonProgress,
  type NodeLook,
} from '../../../src/app/lessons/steps';

const GUIDED: readonly LessonStep[] = [
  { text: 'Press Play and watch the first election.' },
  { text: 'Crash the leader.', node: '@leader', action: 'crash', atMs: 3000 },
  { text: 'Watch the others elect a new leader, then restart the old one.', node: '@last-crashed', action: 'restart' },
  { text: 'Done.' },
];

const TIMED: readonly LessonStep[] = [{ text: 'Watch.' }, { text: 'At 6 s the leader crashes.', atMs: 6000 }, { text: 'At 12 s it restarts.', atMs: 12000 }];

const crash = (node: string, atMs: number): ScenarioEvent => ({ atMs, do: 'crash', node });
const restart = (node: string, atMs: number): ScenarioEvent => ({ atMs, do: 'restart', node });
const at = (index: number, marks: number[]): LessonProgress => ({ index, marks });

describe('actions complete the step that asks for them', () => {
  it('the right action on the step’s node moves on, marked at the action’s time', () => {
    expect(afterAction(GUIDED, at(1, [0, 3000]), crash('orch-2', 4200), 'orch-2')).toEqual(at(2, [0, 3000, 4200]));
  });

  it('the right action on another node, or another action on the right node, does not', () => {
    expect(afterAction(GUIDED, at(1, [0, 3000]), crash('orch-1', 4200), 'orch-2')).toEqual(at(1, [0, 3000]));
    expect(afterAction(GUIDED, at(1, [0, 3000]), restart('orch-2', 4200), 'orch-2')).toEqual(at(1, [0, 3000]));
  });

  it('a step that names no node (or one that cannot be told now) takes the action on any node', () => {
    const anyNode: LessonStep[] = [{ text: 'Heal.', action: 'heal' }, { text: 'Then.' }];
    expect(afterAction(anyNode, START, { atMs: 10, do: 'heal' }, null).index).toBe(1);
    expect(actionMatches(GUIDED[1]!, crash('orch-3', 1), null)).toBe(true);
  });

  it('links and partitions count when they name the step’s node', () => {
    const cut: LessonStep = { text: 'Cut db-1 off.', node: 'db-1', action: 'partition' };
    expect(actionMatches(cut, { atMs: 1, do: 'partition', groups: [['db-1'], ['*']] }, 'db-1')).toBe(true);
    expect(actionMatches(cut, { atMs: 1, do: 'partition', groups: [['orch-1'], ['*']] }, 'db-1')).toBe(false);
    const link: LessonStep = { text: 'Cut a link of orch-1.', node: 'orch-1', action: 'cut' };
    expect(actionMatches(link, { atMs: 1, do: 'cut', between: ['orch-2', 'orch-1'] }, 'orch-1')).toBe(true);
  });

  it('the last step stays the last, whatever is done', () => {
    const last: LessonStep[] = [{ text: 'Crash it.', action: 'crash' }];
    expect(afterAction(last, START, crash('orch-1', 5), null)).toBe(START);
  });
});

describe('the clock enters timed steps', () => {
  it('crossing a step’s atMs enters it, marked at that time, and crossing two at once enters both', () => {
    expect(followTime(TIMED, START, 5900, 6100)).toEqual(at(1, [0, 6000]));
    expect(followTime(TIMED, START, 100, 13_000)).toEqual(at(2, [0, 6000, 12_000]));
  });

  it('not yet crossed, nothing moves (the same object comes back)', () => {
    expect(followTime(TIMED, START, 100, 5999)).toBe(START);
  });

  it('a step that waits for an action is not skipped by the clock', () => {
    const waiting = at(1, [0, 3000]);
    expect(followTime(GUIDED, waiting, 2000, 9000)).toBe(waiting);
  });

  it('a run that just opened (prevMs null) crosses nothing: a restored lesson stays where it was', () => {
    expect(followTime(TIMED, START, null, 8000)).toBe(START);
  });

  it('a fresh run opened late (&t=) enters the steps before that time, counting from before 0', () => {
    expect(followTime(TIMED, START, -1, 8000).index).toBe(1);
    expect(followTime([{ text: 'a' }, { text: 'b', atMs: 0 }], START, -1, 0).index).toBe(1);
  });

  it('Back after the clock entered a step does not bring it straight back: only a new crossing does', () => {
    const back = stepBack(at(1, [0, 6000]));
    expect(followTime(TIMED, back, 7000, 7100)).toBe(back);
  });
});

describe('seeking rewinds the narrative, and replaying restores it', () => {
  const done = at(3, [0, 3000, 4200, 9000]);

  it('a seek before a step’s mark returns to the step current then, remembering the rest', () => {
    expect(followTime(GUIDED, done, 9500, 4000)).toEqual({ index: 1, marks: done.marks });
  });

  it('playing forward again replays the remembered marks (the recorded actions replay too)', () => {
    const rewound = followTime(GUIDED, done, 9500, 4000);
    expect(followTime(GUIDED, rewound, 4000, 5000).index).toBe(2);
    expect(followTime(GUIDED, rewound, 4000, 9000).index).toBe(3);
  });

  it('a new action after the seek forks the run: the remembered future is gone', () => {
    const rewound = followTime(GUIDED, done, 9500, 4000);
    const forked = afterAction(GUIDED, rewound, restart('orch-9', 4100), 'orch-2');
    expect(forked).toEqual(at(1, [0, 3000]));
    expect(followTime(GUIDED, forked, 4100, 9000).index).toBe(1);
  });
});

describe('Next and Back', () => {
  it('Next enters the following step now, and not past the end', () => {
    expect(stepForward(TIMED, START, 2500)).toEqual(at(1, [0, 2500]));
    const last = at(2, [0, 6000, 12_000]);
    expect(stepForward(TIMED, last, 20_000)).toBe(last);
  });

  it('a Next pressed while the clock is behind the current mark is marked no earlier than it', () => {
    expect(stepForward(TIMED, at(1, [0, 6000]), 5000)).toEqual(at(2, [0, 6000, 6000]));
  });

  it('Back forgets the step it leaves and stops at the first', () => {
    expect(stepBack(at(2, [0, 6000, 12_000]))).toEqual(at(1, [0, 6000]));
    expect(stepBack(START)).toBe(START);
  });
});

describe('what the store needs around the steps', () => {
  it('new events are the learner’s: repeated ones count again, dropped ones are ignored', () => {
    const base = [crash('orch-1', 6000)];
    expect(newEvents(base, [...base, crash('orch-2', 7000)])).toEqual([crash('orch-2', 7000)]);
    expect(newEvents([crash('orch-1', 7000)], [crash('orch-1', 7000), crash('orch-1', 7000)])).toEqual([crash('orch-1', 7000)]);
    expect(newEvents([crash('orch-1', 7000), crash('orch-2', 8000)], [crash('orch-1', 7000)])).toEqual([]);
  });

  it('selectors resolve to the running node in that role, or to the last crashed node', () => {
    const nodes: NodeLook[] = [
      { id: 'orch-1', role: 'follower', up: true },
      { id: 'orch-2', role: 'leader', up: true },
      { id: 'db-1', role: 'primary', up: true },
    ];
    expect(resolveNode('@leader', nodes, [], 0)).toBe('orch-2');
    expect(resolveNode('@primary', nodes, [], 0)).toBe('db-1');
    expect(resolveNode('@leader', [{ id: 'orch-2', role: 'leader', up: false }], [], 0)).toBeNull();
    expect(resolveNode('@last-crashed', nodes, [crash('orch-1', 100), crash('orch-2', 200)], 150)).toBe('orch-1');
    expect(resolveNode('orch-1', nodes, [], 0)).toBe('orch-1');
    expect(resolveNode('orch-7', nodes, [], 0)).toBeNull();
    expect(resolveNode(undefined, nodes, [], 0)).toBeNull();
  });

  it('a stored progress is kept inside the lesson it is applied to', () => {
    expect(sanitize(at(7, [0, 1, 2, 3, 4, 5, 6, 7]), TIMED)).toEqual(at(2, [0, 1, 2]));
    expect(sanitize(at(2, [0, -5]), TIMED)).toEqual(at(0, [0]));
    expect(sanitize(at(1, []), TIMED)).toBe(START);
  });

  it('keys tell lessons and runs apart', () => {
    expect(lessonKey('Raft', TIMED)).toBe(lessonKey('Raft', [...TIMED]));
    expect(lessonKey('Raft', TIMED)).not.toBe(lessonKey('Raft', GUIDED));
    expect(runSignature([crash('orch-1', 1)])).not.toBe(runSignature([crash('orch-1', 2)]));
    // A recorded action ({do, node, atMs}) and the same action read back from the autosaved file ({atMs, do, node}) are one run.
    expect(runSignature([{ do: 'crash', node: 'orch-1', atMs: 5 } as ScenarioEvent])).toBe(runSignature([crash('orch-1', 5)]));
  });
});

describe('the summary ("What you saw")', () => {
  const r = (status: 'holds' | 'fails' | 'waiting') => ({ status });
  it('shows on the last step only once every claim of it holds, not while one waits for the run', () => {
    expect(summaryShows(true, [r('holds'), r('waiting')])).toBe(false);
    expect(summaryShows(true, [r('holds'), r('fails')])).toBe(false);
    expect(summaryShows(true, [r('holds'), r('holds')])).toBe(true);
    expect(summaryShows(true, [])).toBe(true);
    expect(summaryShows(false, [r('holds')])).toBe(false);
  });
});
