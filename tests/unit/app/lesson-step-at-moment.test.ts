// Proves the rule for the lesson step of a moment the learner did not walk to (a link's `&t=`, an
// embed's "Open in playground"): timed steps are current from their time, a step that waits for
// Play gives way only at the next step's time (never to a step that tells of later), a step that
// waits for an action stays until the run holds that action, and a joined-part-way card says when
// its step began.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { LessonStep, ScenarioEvent } from '../../../src/sim/scenario/types';
import { followRun, followTime, joinedWords, stepAtMoment, START } from '../../../src/app/lessons/steps';

const file = (id: string) => JSON.parse(readFileSync(`public/scenarios/${id}.json`, 'utf8')) as { steps: LessonStep[]; events: ScenarioEvent[] };
const backup = file('backup-restore');
const handsOn = file('raft-hands-on');

describe('the step for a moment opened by a link', () => {
  it('backup-restore at 20 s is still step 1, waiting for the 40.5 s backup step; at 46 s it is step 4', () => {
    expect(stepAtMoment(backup.steps, backup.events, 20_000)).toEqual({ index: 0, marks: [0] });
    expect(stepAtMoment(backup.steps, backup.events, 40_500).index).toBe(1);
    expect(stepAtMoment(backup.steps, backup.events, 46_000)).toEqual({ index: 3, marks: [0, 40_500, 45_000, 45_100] });
  });

  it('agrees with following the clock from the start when the run holds no action a step waits for', () => {
    for (const nowMs of [0, 1, 20_000, 45_099, 52_000, 60_000]) expect(stepAtMoment(backup.steps, backup.events, nowMs)).toEqual(followTime(backup.steps, START, -1, nowMs));
  });

  it('a step that waits for an action stays while the run does not hold it', () => {
    // raft-hands-on: step 2 (at 2.5 s) asks to crash the leader; nobody did.
    expect(stepAtMoment(handsOn.steps, handsOn.events, 20_000)).toEqual({ index: 1, marks: [0, 2_500] });
  });

  it('actions the run holds (clicks carried in the link) complete their steps in order, each once', () => {
    const crash: ScenarioEvent = { atMs: 3_000, do: 'crash', node: 'orch-1' };
    const restart: ScenarioEvent = { atMs: 6_000, do: 'restart', node: 'orch-1' };
    const events = [crash, restart];
    // crash → step 3 (restart) → restart → step 4 (crash the leader): one crash does not complete two steps.
    expect(stepAtMoment(handsOn.steps, events, 20_000)).toEqual({ index: 3, marks: [0, 2_500, 3_000, 6_000] });
    // Before the restart the run holds only the crash.
    expect(stepAtMoment(handsOn.steps, events, 5_000)).toEqual({ index: 2, marks: [0, 2_500, 3_000] });
    // A crash before the step began (before 2.5 s) is not the one it asks for.
    expect(stepAtMoment(handsOn.steps, [{ atMs: 1_000, do: 'crash', node: 'orch-1' }], 20_000).index).toBe(1);
  });
});

describe('a link opened early, then played or sought forward past the clicks it carries', () => {
  const crash: ScenarioEvent = { atMs: 3_000, do: 'crash', node: 'orch-1' };
  const restart: ScenarioEvent = { atMs: 6_000, do: 'restart', node: 'orch-1' };
  const events = [crash, restart];

  it('a seek from 2.6 s to 20 s counts both clicks, as opening the link at 20 s does', () => {
    const opened = stepAtMoment(handsOn.steps, events, 2_600);
    expect(opened).toEqual({ index: 1, marks: [0, 2_500] });
    const followed = followRun(handsOn.steps, followTime(handsOn.steps, opened, 2_600, 20_000), events, 2_600, 20_000);
    expect(followed).toEqual(stepAtMoment(handsOn.steps, events, 20_000));
  });

  it('playing frame by frame counts each click once, when the clock crosses it', () => {
    let progress = stepAtMoment(handsOn.steps, events, 0);
    const seen: number[] = [];
    for (let t = 100; t <= 20_000; t += 100) {
      progress = followRun(handsOn.steps, followTime(handsOn.steps, progress, t - 100, t), events, t - 100, t);
      if (seen.at(-1) !== progress.index) seen.push(progress.index);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(progress).toEqual({ index: 3, marks: [0, 2_500, 3_000, 6_000] });
  });

  it('a click the clock had already passed does not count again, and nothing changes when the run holds none', () => {
    const atRestart = { index: 2, marks: [0, 2_500, 3_000] };
    // From 7 s the restart at 6 s was passed before: it was counted then (or, with no mark, it was not the learner's).
    expect(followRun(handsOn.steps, atRestart, events, 7_000, 20_000)).toBe(atRestart);
    expect(followRun(handsOn.steps, atRestart, [], 5_000, 20_000)).toBe(atRestart);
  });
});

describe('a step joined part-way', () => {
  const format = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  it('says when it began; nothing when joined at its start', () => {
    expect(joinedWords(0, 20_000, format)).toContain('You joined at 20.000 s, part-way through this step (it began at the start of the run)');
    expect(joinedWords(40_500, 40_500, format)).toBeNull();
  });
});
