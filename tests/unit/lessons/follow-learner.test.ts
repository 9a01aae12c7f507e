// Proves a lesson follows what the learner did: an action done before its step counts when the step comes (in order, cascading), an action on another node than asked is answered in words, and one of another kind is left alone.
import { describe, expect, it } from 'vitest';
import type { LessonStep, ScenarioEvent } from '../../../src/sim/scenario/types';
import { countEarly, otherNodeWords, type ActionSeen, type LessonProgress } from '../../../src/app/lessons/steps';

const STEPS: readonly LessonStep[] = [
  { text: 'Play.' },
  { text: 'Crash the leader.', node: '@leader', action: 'crash', atMs: 2500 },
  { text: 'Restart it.', node: '@last-crashed', action: 'restart' },
  { text: 'Crash the leader again.', node: '@leader', action: 'crash' },
  { text: 'Done.' },
];

const seen = (event: ScenarioEvent, leader: string | null, role: string | null, lastCrashed: string | null = null): ActionSeen => ({
  event,
  was: { '@leader': leader, '@primary': null, '@last-crashed': lastCrashed },
  role,
});

describe('an action done early', () => {
  it('counts when its step comes, and the next early action counts for the step after', () => {
    const atStep2: LessonProgress = { index: 1, marks: [0, 2500] };
    const early = [seen({ atMs: 2000, do: 'crash', node: 'orch-3' }, 'orch-3', 'leader'), seen({ atMs: 2200, do: 'restart', node: 'orch-3' }, null, 'down', 'orch-3')];
    const { progress, pending } = countEarly(STEPS, atStep2, early, 2500);
    expect(progress).toEqual({ index: 3, marks: [0, 2500, 2500, 2500] });
    expect(pending).toEqual([]);
  });

  it('does not count on a node the step did not ask for, nor an action later than now (after a seek back)', () => {
    const atStep2: LessonProgress = { index: 1, marks: [0, 2500] };
    const follower = [seen({ atMs: 2000, do: 'crash', node: 'orch-1' }, 'orch-3', 'follower')];
    expect(countEarly(STEPS, atStep2, follower, 2500).progress).toBe(atStep2);
    const later = [seen({ atMs: 4000, do: 'crash', node: 'orch-3' }, 'orch-3', 'leader')];
    expect(countEarly(STEPS, atStep2, later, 2500)).toEqual({ progress: atStep2, pending: [] });
  });

  it('never moves past a step that waits for the clock or Next', () => {
    const atStart: LessonProgress = { index: 0, marks: [0] };
    const early = [seen({ atMs: 2000, do: 'crash', node: 'orch-3' }, 'orch-3', 'leader')];
    expect(countEarly(STEPS, atStart, early, 2000).progress).toBe(atStart);
  });
});

describe('an action on another node than asked', () => {
  it('is answered in words naming both nodes and the role of the one acted on', () => {
    expect(otherNodeWords(STEPS[1]!, seen({ atMs: 3000, do: 'crash', node: 'orch-2' }, 'orch-3', 'follower'))).toBe(
      'You crashed orch-2, a follower; the lesson asked for the leader, orch-3.',
    );
    expect(otherNodeWords(STEPS[1]!, seen({ atMs: 3000, do: 'crash', node: 'orch-2' }, null, 'candidate'))).toBe(
      'You crashed orch-2, a candidate; the lesson asked for the leader (there was none at that moment).',
    );
  });

  it('says nothing when the node is the one asked, or the action is of another kind', () => {
    expect(otherNodeWords(STEPS[1]!, seen({ atMs: 3000, do: 'crash', node: 'orch-3' }, 'orch-3', 'leader'))).toBeNull();
    expect(otherNodeWords(STEPS[1]!, seen({ atMs: 3000, do: 'restart', node: 'orch-2' }, 'orch-3', 'down'))).toBeNull();
    expect(otherNodeWords(STEPS[0]!, seen({ atMs: 3000, do: 'crash', node: 'orch-2' }, 'orch-3', 'follower'))).toBeNull();
  });
});
