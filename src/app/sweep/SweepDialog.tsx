/**
 * "Run many seeds": a Tools button and the dialog it opens. The run on screen, the learner's
 * actions included, is run once per seed on a pool of workers, with progress and Cancel; then each
 * figure is drawn as a histogram (a bar opens one of its runs) and every seed that broke a safety
 * invariant is listed with a way to open it. `npm run sim -- FILE --seeds A..B` prints the same.
 */
import { useId, useState } from 'react';
import { encodeScenarioHash, formatMs, SWEEP_FIGURE_WORDS, SWEEP_FIGURES, type SweepFigure, type SweepSummary } from '../../sim';
import { ToolDialog, ToolProgress } from '../components/shell/ToolDialog';
import { ActionForm } from '../components/shell/ActionForm';
import { useSim } from '../store/sim-store';
import { bins, type Bin } from './bins';
import { cancelSweep, closeSweep, openSweep, PAGE_SWEEP_MAX, runSweep, setSweepRange, useSweep } from './sweep-store';
import './sweep.css';

export function SweepButton() {
  return (
    <button type="button" onClick={openSweep} title="Run this scenario over many seeds and see how often it loses writes, how long failover takes, and which seeds broke a safety check">
      Run many seeds
    </button>
  );
}

const valueText = (figure: SweepFigure, value: number) => (figure.endsWith('Ms') ? formatMs(value) : String(value));

/** Opens one seed's run in the playground, through the link path (`#s=`), as a shared link would. */
function openSeed(seed: number): void {
  const scenario = useSweep.getState().scenario;
  if (!scenario) return;
  closeSweep();
  const hash = `#${encodeScenarioHash({ ...scenario, seed })}`;
  if (location.hash === hash) dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

function binText(figure: SweepFigure, bin: Bin): string {
  const range = bin.hi - bin.lo <= 1 && Number.isInteger(bin.lo) && !figure.endsWith('Ms') ? valueText(figure, bin.lo) : `${valueText(figure, bin.lo)} to ${valueText(figure, bin.hi)}`;
  return `${range}: ${bin.seeds.length} ${bin.seeds.length === 1 ? 'run' : 'runs'}`;
}

function Histogram({ figure, summary }: { figure: SweepFigure; summary: SweepSummary }) {
  const values = summary.perSeed.flatMap((r) => (r.figures[figure] === null ? [] : [{ seed: r.seed, value: r.figures[figure] }]));
  const stats = summary.figures[figure];
  const data = bins(values);
  const most = Math.max(1, ...data.map((b) => b.seeds.length));
  const headingId = useId();
  return (
    <section className="sweep-figure" aria-labelledby={headingId} data-figure={figure}>
      <h3 id={headingId}>{SWEEP_FIGURE_WORDS[figure]}</h3>
      {stats.runs === 0 ? (
        <p className="small muted">No run has this figure.</p>
      ) : (
        <>
          <p className="sweep-stats small">
            median {valueText(figure, stats.median!)} · p90 {valueText(figure, stats.p90!)} · p99 {valueText(figure, stats.p99!)} · max {valueText(figure, stats.max!)}
          </p>
          <div className="sweep-bars" role="group" aria-label={`Histogram: ${SWEEP_FIGURE_WORDS[figure]}`}>
            {data.map((bin, i) => (
              <button
                key={i}
                type="button"
                className="sweep-bar"
                style={{ height: `${bin.seeds.length === 0 ? 0 : Math.max(4, (bin.seeds.length / most) * 100)}%` }}
                disabled={bin.seeds.length === 0}
                title={`${binText(figure, bin)}. Click to open seed ${bin.seeds[0] ?? ''}`}
                aria-label={`${binText(figure, bin)}${bin.seeds.length > 0 ? `; open seed ${bin.seeds[0]}` : ''}`}
                onClick={() => bin.seeds[0] !== undefined && openSeed(bin.seeds[0])}
              />
            ))}
          </div>
          <p className="sweep-axis small muted" aria-hidden="true">
            <span>{valueText(figure, stats.min!)}</span>
            <span>{valueText(figure, stats.max!)}</span>
          </p>
        </>
      )}
    </section>
  );
}

function Broken({ summary }: { summary: SweepSummary }) {
  const broken = Object.entries(summary.invariants);
  if (broken.length === 0) return <p className="sweep-safe">Safety: every invariant held in all {summary.runs} runs.</p>;
  return (
    <div className="sweep-broken" role="region" aria-label="Seeds that broke a safety invariant">
      <p>
        {summary.unsafe.length === 0
          ? 'Safety broke under the safe defaults: this is a bug in the simulated system. Open a seed to see how.'
          : `Safety broke, as these settings allow (${summary.unsafe.join(', ')}).`}
      </p>
      <ul>
        {broken.map(([name, { runs, seeds }]) => (
          <li key={name}>
            <strong>{name}</strong> broke in {runs} of {summary.runs} runs:{' '}
            {seeds.slice(0, 12).map((s) => (
              <button key={s.seed} type="button" className="quiet sweep-seed" onClick={() => openSeed(s.seed)} aria-label={`Open seed ${s.seed}, which broke ${name}`}>
                seed {s.seed}
              </button>
            ))}
            {seeds.length > 12 && ` and ${seeds.length - 12} more`}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Controls() {
  const { first, count, status } = useSweep();
  const scenario = useSim((s) => s.recorded);
  const [firstText, setFirstText] = useState(String(first));
  const [countText, setCountText] = useState(String(count));
  const firstId = useId();
  const countId = useId();
  const firstValue = Number(firstText);
  const countValue = Number(countText);
  const bad =
    !/^\d{1,10}$/.test(firstText) || firstValue > 0xffff_ffff
      ? 'The first seed is a whole number from 0 to 4294967295.'
      : !/^\d{1,5}$/.test(countText) || countValue < 1 || countValue > PAGE_SWEEP_MAX
        ? `The number of runs is a whole number from 1 to ${PAGE_SWEEP_MAX} (the command line takes more).`
        : firstValue + countValue - 1 > 0xffff_ffff
          ? 'The last seed would pass 4294967295.'
          : null;
  const running = status === 'running';
  return (
    <ActionForm
      className="sweep-controls"
      onSubmit={() => {
        if (bad || !scenario || useSweep.getState().status === 'running') return;
        setSweepRange(firstValue, countValue);
        runSweep(scenario, firstValue, countValue);
      }}
    >
      <label htmlFor={firstId}>First seed</label>
      <input id={firstId} inputMode="numeric" value={firstText} disabled={running} onChange={(e) => setFirstText(e.target.value.trim())} aria-invalid={bad !== null} />
      <label htmlFor={countId}>Runs</label>
      <input id={countId} inputMode="numeric" value={countText} disabled={running} onChange={(e) => setCountText(e.target.value.trim())} aria-invalid={bad !== null} />
      {running ? (
        <button key="cancel" type="button" onClick={cancelSweep}>
          Cancel
        </button>
      ) : (
        <button key="run" type="submit" disabled={bad !== null || !scenario}>
          Run {countValue > 0 && bad === null ? countValue : ''} seeds
        </button>
      )}
      {bad && <p className="sweep-error small">{bad}</p>}
    </ActionForm>
  );
}

function Progress() {
  const { status, done, total, workers, error, summary } = useSweep();
  const text =
    status === 'running'
      ? `Running: ${done} of ${total} runs done, on ${workers} worker${workers === 1 ? '' : 's'}…`
      : status === 'cancelled'
        ? `Cancelled after ${done} of ${total} runs.`
        : status === 'error'
          ? `The sweep failed: ${error ?? 'unknown error'}`
          : status === 'done' && summary
            ? `Done: ${summary.runs} runs, seeds ${summary.seeds.map(([a, b]) => (a === b ? a : `${a} to ${b}`)).join(', ')}.`
            : '';
  const bar = status === 'running' ? { max: total, value: done, label: 'Runs done' } : null;
  return <ToolProgress className="sweep-progress" errorClassName="sweep-error" text={text} failed={status === 'error'} bar={bar} />;
}

export function SweepDialog() {
  const open = useSweep((s) => s.open);
  const summary = useSweep((s) => s.summary);
  const title = useSim((s) => s.info?.title ?? '');
  return (
    <ToolDialog open={open} title="Run many seeds" className="sweep-dialog" onClose={closeSweep}>
      <p className="small">
        Runs <strong>{title}</strong> as it stands (your actions included) once per seed: the seed changes the random timeouts, latencies and losses,
        so the figures spread. Each bar is a group of runs; click one to open its first run.
      </p>
      <Controls />
      <Progress />
      {summary && (
        <div className="sweep-results">
          <Broken summary={summary} />
          <div className="sweep-grid">
            {SWEEP_FIGURES.map((figure) => (
              <Histogram key={figure} figure={figure} summary={summary} />
            ))}
          </div>
          <p className="small muted">
            The same figures come from the command line: <code>npm run sim -- FILE --seeds {summary.seeds[0]?.[0]}..{summary.seeds.at(-1)?.[1]}</code>
          </p>
        </div>
      )}
    </ToolDialog>
  );
}
