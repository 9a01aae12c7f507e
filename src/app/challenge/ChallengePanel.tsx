/**
 * A scenario's challenge on the page: the goal, what the learner may change (with Edit scenario),
 * and on request the verdict on the recorded run played to its end, with each check in words. The
 * worker judges it exactly as `npm run sim -- FILE --grade` does.
 */
import { useState } from 'react';
import type { ChallengeResult, Scenario } from '../../sim';
import { commands } from '../store/engine';
import { useSim } from '../store/sim-store';

export function ChallengePanel() {
  const challenge = useSim((s) => s.recorded?.challenge ?? null);
  const recorded = useSim((s) => s.recorded);
  const [judged, setJudged] = useState<{ readonly run: Scenario | null; readonly result: ChallengeResult | null } | null>(null);
  const [checking, setChecking] = useState(false);
  // A verdict is about the run it judged: a new run (or a new action) makes it stale.
  const result = judged !== null && judged.run === recorded ? judged.result : null;
  if (!challenge) return null;
  const check = () => {
    setChecking(true);
    const run = recorded;
    void commands.judge().then((verdict) => {
      setJudged({ run, result: verdict });
      setChecking(false);
    });
  };
  return (
    <section className="challenge" aria-label="Challenge">
      <h2>Challenge</h2>
      <p className="challenge-goal">{challenge.goal}</p>
      <p className="challenge-rules">
        You may change: <strong>{challenge.editable.length > 0 ? challenge.editable.join(', ') : 'nothing'}</strong> (with Edit scenario). The checks run on the whole run, to its end.
      </p>
      <button type="button" onClick={check} disabled={checking}>
        {checking ? 'Checking…' : 'Check my run'}
      </button>
      <div role="status" aria-live="polite">
        {result && (
          <div className={`challenge-result ${result.passed ? 'is-pass' : 'is-fail'}`}>
            <p className="challenge-verdict">{result.passed ? '✓ Passed' : '✗ Not yet'}</p>
            <ul>
              {result.checks.map((c) => (
                <li key={c.text} className={c.ok ? 'is-ok' : 'is-bad'}>
                  <span aria-hidden="true">{c.ok ? '✓ ' : '✗ '}</span>
                  <span className="visually-hidden">{c.ok ? 'met: ' : 'not met: '}</span>
                  {c.text}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
