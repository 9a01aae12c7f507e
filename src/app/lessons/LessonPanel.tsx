/**
 * The lesson, one step at a time: "Step k of n", the step's text (safe markdown), the node it
 * points at (a button that selects it; the graph rings it), what completes the step, and
 * Back / Next. The presenter view shows the same card in large type.
 */
import { fillValues, formatMs, liveValues, type ClaimResult, type LessonStep, type LivePlaceholder } from '../../sim';
import { Markdown } from '../markdown/Markdown';
import { useMotionElements } from '../motion-elements';
import { useSim } from '../store/sim-store';
import { goOn, nextStep, pick, previousStep, rewindStep, selectStepNode, useLesson, type Asked } from './lesson-store';
import { roleOf } from '../graph/roles';
import { joinedWords, summaryShows } from './steps';
import './lessons.css';

const ACTION_WORDS: Readonly<Record<NonNullable<LessonStep['action']>, string>> = {
  crash: 'Crash',
  restart: 'Restart',
  'wipe-disk': 'Wipe disk',
  promote: 'Promote',
  switchover: 'Switchover',
  'restore-backup': 'Restore…',
  partition: 'Partition…',
  cut: 'Cut link',
  'heal-link': 'Heal link',
  heal: 'Heal all',
  'region-down': 'Black out',
  'region-up': 'Restore power',
  propose: 'Propose',
};

/** What moves the lesson on from this step, in words. */
function completion(step: LessonStep, next: LessonStep | undefined, target: string | null): string {
  if (step.action) return `Moves on when you use ${ACTION_WORDS[step.action]}${step.node && target ? ` on ${target}` : ''}.`;
  if (next?.atMs !== undefined) return `Moves on at ${formatMs(next.atMs)} on the clock, or press Next.`;
  return next ? 'Press Next when you are ready.' : 'The last step.';
}

function TargetButton({ target, role, stepNode }: { target: string | null; role: string | null; stepNode: string | undefined }) {
  if (!stepNode) return null;
  if (!target) {
    const named = stepNode === '@leader' ? 'the leader' : stepNode === '@primary' ? 'the primary' : stepNode;
    return <span className="lesson-target">Points at {named}, which is not there right now.</span>;
  }
  return (
    <span className="lesson-target">
      Points at{' '}
      <button type="button" className="lesson-node" onClick={selectStepNode} title="Select this node (s)">
        <span aria-hidden="true">◎ </span>
        {target}
        {role ? ` (${role})` : ''}
      </button>
    </span>
  );
}

type Values = Readonly<Record<LivePlaceholder, string>> | null;

/** The step's claims the run on screen contradicts: what the lesson expected, what the run shows, why; and the way back. */
function Deviation({ failures, text, last }: { failures: readonly ClaimResult[]; text: string; last: boolean }) {
  return (
    <div className="lesson-deviation" role="group" aria-labelledby="lesson-deviation-title">
      <p id="lesson-deviation-title" className="lesson-deviation-title">
        Your run went another way
      </p>
      <ul>
        {failures.map((f, i) => (
          <li key={i}>
            The lesson expected <strong>{f.expected}</strong>; on screen, <strong>{f.actual}</strong>.{f.why ? ` Why: ${f.why}.` : ''}
          </li>
        ))}
      </ul>
      <div className="lesson-deviation-buttons">
        <button type="button" onClick={rewindStep}>
          <span aria-hidden="true">↶ </span>Rewind to where this step began
        </button>
        <button type="button" onClick={goOn}>
          {last ? 'Keep this run' : 'Go on from here'}
        </button>
      </div>
      <details className="lesson-as-written">
        <summary>What this step says of a run that goes as the lesson expects</summary>
        <Markdown source={text} className="lesson-text" />
      </details>
    </div>
  );
}

/** A question: its choices before the pick, the pick while the run plays, then what held. */
function Question({ step, asked, moment }: { step: LessonStep; asked: Asked | undefined; moment: Values }) {
  const question = step.question!;
  if (!asked) {
    return (
      <fieldset className="lesson-question">
        <legend>
          <span className="lesson-question-tag">Predict</span> {fillValues(question.prompt, moment)}
        </legend>
        <p className="lesson-how">The run waits for your answer, then plays it out.</p>
        <div className="lesson-choices">
          {question.choices.map((choice, i) => (
            <button key={i} type="button" className="lesson-choice" onClick={() => pick(i)}>
              {fillValues(choice.label, moment)}
            </button>
          ))}
        </div>
      </fieldset>
    );
  }
  return <Reveal step={step} asked={asked} moment={moment} />;
}

function Reveal({ step, asked, moment }: { step: LessonStep; asked: Asked; moment: Values }) {
  const question = step.question!;
  const picked = fillValues(question.choices[asked.picked]!.label, moment);
  if (asked.held === null) {
    return (
      <p className="lesson-question lesson-prediction" role="status">
        You predicted <strong>{picked}</strong>. Watch the run: the answer comes {question.revealAfterMs ? `${formatMs(question.revealAfterMs)} after your pick` : 'when the step ends'}.
      </p>
    );
  }
  const right = asked.held.includes(asked.picked);
  const answer = asked.held.length === 1 ? question.choices[asked.held[0]!]! : null;
  return (
    <div className={`lesson-question lesson-reveal${right ? ' is-right' : ''}`} role="status">
      <p>
        <strong>{right ? 'Your prediction held.' : 'Your prediction did not hold.'}</strong> You predicted {picked}
        {answer ? `; on this run: ${fillValues(answer.label, moment)}.` : '; on this run none of the answers held exactly.'}
      </p>
      {answer?.why ? <Markdown source={fillValues(answer.why, moment)} className="lesson-text" /> : null}
    </div>
  );
}

export function LessonCard({ large = false }: { large?: boolean }) {
  const steps = useLesson((s) => s.steps);
  const { index } = useLesson((s) => s.progress);
  const target = useLesson((s) => s.target);
  const results = useLesson((s) => s.results);
  const note = useLesson((s) => s.note);
  const asked = useLesson((s) => s.asked);
  const wentOn = useLesson((s) => s.wentOn);
  const summary = useLesson((s) => s.summary);
  const joined = useLesson((s) => s.joined);
  const progressMarks = useLesson((s) => s.progress.marks);
  // The live values as one string: the card re-renders when a value changes, not at every frame.
  const valuesText = useSim((s) => (s.moment ? JSON.stringify(liveValues(s.moment)) : ''));
  const moment: Values = valuesText ? (JSON.parse(valuesText) as Record<LivePlaceholder, string>) : null;
  // The role its card shows ("restoring" while a backup is copied onto it, "down" while it is down).
  const role = useSim((s) => {
    const node = target ? s.nodesById[target] : undefined;
    return node ? roleOf(node) : null;
  });
  const m = useMotionElements();
  const step = steps[index];
  if (!step) return null;
  const text = fillValues(step.text, moment);
  const failures = results.filter((r) => r.status === 'fails');
  const last = index + 1 >= steps.length;
  const deviated = failures.length > 0 && wentOn !== index;
  // The previous step's question is revealed as this one begins: its answer shows here.
  const previousAsked = index > 0 && steps[index - 1]?.question ? asked[index - 1] : undefined;
  const joinedText = joined && joined.index === index ? joinedWords(progressMarks[index] ?? 0, joined.atMs, formatMs) : null;
  return (
    <section
      className={`lesson${large ? ' lesson-large' : ' panel'}`}
      aria-labelledby="lesson-title"
      data-step={index + 1}
      data-steps={steps.length}
      data-claims={results.length === 0 ? 'none' : failures.length > 0 ? 'fails' : results.some((r) => r.status === 'waiting') ? 'waiting' : 'hold'}
    >
      <header className="lesson-header">
        <h2 id="lesson-title">
          Step {index + 1} of {steps.length}
        </h2>
        <ol className="lesson-dots" aria-hidden="true">
          {steps.map((s, i) => (
            <li key={i} className={i < index ? 'is-done' : i === index ? 'is-current' : ''} title={s.text.slice(0, 60)} />
          ))}
        </ol>
        <div className="lesson-buttons">
          <button type="button" onClick={previousStep} disabled={index === 0} title="Previous step (b, or ← in presenter mode)">
            <span aria-hidden="true">← </span>Back
          </button>
          <button type="button" onClick={nextStep} disabled={index + 1 >= steps.length} title="Next step (n, or → in presenter mode)">
            Next<span aria-hidden="true"> →</span>
          </button>
        </div>
      </header>
      {/* The next step's text slides in from the side as the lesson moves on. */}
      <m.div key={index} initial={{ opacity: 0, x: 14 }} animate={{ opacity: 1, x: 0 }} transition={{ duration: 0.3, ease: 'easeOut' }}>
        {previousAsked?.held ? <Reveal step={steps[index - 1]!} asked={previousAsked} moment={moment} /> : null}
        {note && note.index === index ? (
          <p className="lesson-note" role="note">
            {note.text}
          </p>
        ) : null}
        {deviated ? <Deviation failures={failures} text={text} last={last} /> : <Markdown source={text} className="lesson-text" />}
        {/* After the step's own words: on a phone they must start above the playback bar. */}
        {joinedText ? <p className="lesson-joined">{joinedText}</p> : null}
        {wentOn === index && failures.length > 0 ? <p className="lesson-note">You kept your own run: the lesson's last step does not describe it.</p> : null}
        {step.question ? <Question step={step} asked={asked[index]} moment={moment} /> : null}
        {summary && summaryShows(last, results) ? (
          <div className="lesson-summary">
            <p className="lesson-summary-title">What you saw</p>
            <Markdown source={fillValues(summary, moment)} className="lesson-text" />
          </div>
        ) : null}
      </m.div>
      <p className="lesson-foot">
        <TargetButton target={target} role={role} stepNode={step.node} />
        <span className="lesson-how">{completion(step, steps[index + 1], target)}</span>
      </p>
    </section>
  );
}
