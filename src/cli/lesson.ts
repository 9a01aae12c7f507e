/**
 * `npm run sim -- FILE --lesson`: the scenario's lesson followed as written (src/sim/lesson/play.ts),
 * printed step by step: when it became current, its text as the learner reads it (live values
 * such as `{leader}` filled in from the run), what the scripted learner did, each claim held
 * or not (what the lesson expected, what the run showed, why), and which answer of a question
 * held. Exit 0 when every step held, 1 when one did not, 2 when the scenario has no steps.
 */
import { formatMs, playLesson, type LessonVerdict, type Scenario } from '../sim';

type Print = (text: string) => void;

export function lessonText(scenario: Scenario, verdict: LessonVerdict): string {
  const lines = [`${scenario.title}: lesson followed as written`];
  for (const step of verdict.steps) {
    const head = `step ${step.index + 1} at ${formatMs(step.currentAtMs)}${step.did ? `, then ${step.did} at ${formatMs(step.endsAtMs)}` : ''}`;
    const text = step.text.replace(/\s+/g, ' ');
    lines.push(`${step.ok ? 'ok  ' : 'FAIL'} ${head}: ${text}`);
    for (const claim of step.claims) {
      if (claim.neverDue) lines.push(`       never checked: ${claim.result.expected} (the step is over before the claim is due)`);
      else if (claim.failedAtMs === null) lines.push(`       held: ${claim.result.expected}`);
      else {
        const why = claim.result.why ? `; why: ${claim.result.why}` : '';
        lines.push(`       FAILED at ${formatMs(claim.failedAtMs)}: expected ${claim.result.expected}; the run shows ${claim.result.actual}${why}`);
      }
    }
    if (step.choices) {
      const held = step.choices.filter((c) => c.held).map((c) => `"${c.label}"`);
      const told = held.length === 1 ? `held: ${held[0]}` : held.length === 0 ? 'NO choice held' : `MORE than one choice held: ${held.join(', ')}`;
      lines.push(`       question revealed at ${formatMs(step.revealAtMs!)}: ${told}`);
    }
  }
  lines.push(verdict.ok ? 'every claim held' : 'some claims did not hold');
  return `${lines.join('\n')}\n`;
}

export function followLesson(scenario: Scenario, print: Print, json: boolean, err: Print): number {
  if (!scenario.steps || scenario.steps.length === 0) {
    err(`sim: --lesson: "${scenario.title}" has no steps to follow\n`);
    return 2;
  }
  const verdict = playLesson(scenario);
  print(json ? `${JSON.stringify(verdict, null, 2)}\n` : lessonText(scenario, verdict));
  return verdict.ok ? 0 : 1;
}
