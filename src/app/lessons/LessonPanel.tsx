/**
 * The lesson, one step at a time: "Step k of n", the step's text (safe markdown), the node it
 * points at (a button that selects it; the graph rings it), what completes the step, and
 * Back / Next. The presenter view shows the same card in large type.
 */
import { formatMs, type LessonStep } from '../../sim';
import { Markdown } from '../markdown/Markdown';
import { useMotionElements } from '../motion-elements';
import { useSim } from '../store/sim-store';
import { nextStep, previousStep, selectStepNode, useLesson } from './lesson-store';
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

export function LessonCard({ large = false }: { large?: boolean }) {
  const steps = useLesson((s) => s.steps);
  const { index } = useLesson((s) => s.progress);
  const target = useLesson((s) => s.target);
  const role = useSim((s) => (target ? (s.nodesById[target]?.view.role ?? null) : null));
  const m = useMotionElements();
  const step = steps[index];
  if (!step) return null;
  return (
    <section className={`lesson${large ? ' lesson-large' : ' panel'}`} aria-labelledby="lesson-title" data-step={index + 1} data-steps={steps.length}>
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
        <Markdown source={step.text} className="lesson-text" />
      </m.div>
      <p className="lesson-foot">
        <TargetButton target={target} role={role} stepNode={step.node} />
        <span className="lesson-how">{completion(step, steps[index + 1], target)}</span>
      </p>
    </section>
  );
}
