/**
 * "Compare strategies": a toolbar button and the dialog it opens. The dialog runs one disaster
 * against five ways of protecting the database (in a worker; progress is announced), then shows
 * the measured RPO and RTO as a table and a chart, one sentence that reads them, what happened in
 * each run, and a way to open any run in the playground. A native modal <dialog> keeps focus
 * inside and closes with Escape.
 */
import { ToolDialog, ToolProgress } from '../components/shell/ToolDialog';
import { useId } from 'react';
import { DISASTERS, type Comparison, type ComparisonRow, type DisasterId, type TimeScale } from '../../sim';
import { ComparisonChart } from './ComparisonChart';
import { chooseDisaster, closeComparison, openComparison, openRun, runComparison, useComparison } from './comparison-store';
import './compare.css';

/** The toolbar's button; the dialog comes with it (a modal dialog shows above everything wherever it sits). */
/** The button only: the dialog (CompareDialog) is rendered outside the Tools menu, so that it shows while the menu is closed. */
export function CompareButton() {
  return (
    <button type="button" onClick={openComparison} title="Run one disaster against five protection strategies and compare the data lost and the downtime">
      Compare strategies
    </button>
  );
}

function DisasterChoice() {
  const disaster = useComparison((s) => s.disaster);
  const running = useComparison((s) => s.status === 'running');
  const name = useId();
  return (
    <fieldset className="cmp-disaster">
      <legend>Disaster</legend>
      {DISASTERS.map((d) => (
        <label key={d.id}>
          <input type="radio" name={name} value={d.id} checked={disaster === d.id} disabled={running} onChange={() => chooseDisaster(d.id as DisasterId)} />
          {d.label}
        </label>
      ))}
    </fieldset>
  );
}

function Progress() {
  const status = useComparison((s) => s.status);
  const progress = useComparison((s) => s.progress);
  const error = useComparison((s) => s.error);
  const comparison = useComparison((s) => s.comparison);
  const text =
    status === 'running'
      ? progress
        ? `Running ${progress.done + 1} of ${progress.total}: ${progress.running}…`
        : 'Starting the runs…'
      : status === 'error'
        ? `The comparison failed: ${error ?? 'unknown error'}`
        : status === 'done' && comparison
          ? `Done: ${comparison.rows.length} runs measured.`
          : '';
  const bar = status === 'running' ? { max: progress?.total ?? 5, value: progress?.done ?? 0, label: 'Strategies run so far' } : null;
  return <ToolProgress className="cmp-progress" errorClassName="cmp-error" text={text} failed={status === 'error'} bar={bar} />;
}

function ScaleNote({ scale }: { scale: TimeScale }) {
  return (
    <p className="cmp-scale small">
      Same workload ({scale.writesPerSec} writes a second), same seed, same moment. Time is compressed so that each run takes well under a second: an
      “hour” of a real backup schedule is {scale.hourMs / 1000} s of simulated time and a “day” {scale.dayMs / 1000} s. The disaster strikes at{' '}
      {scale.disasterAtMs / 1000} s, half a “day” after the nightly backup; an operator acts {scale.operatorDelayMs / 1000} s (an “hour”) later. Health
      checks, failover and copying a backup run at their usual simulated speed.
    </p>
  );
}

function ComparisonTable({ comparison }: { comparison: Comparison }) {
  return (
    <div className="cmp-table-wrap" role="region" aria-label="Comparison table" tabIndex={0}>
      <table className="cmp-table">
        <caption>
          {comparison.disasterLabel}: data lost and downtime per strategy, measured in simulated runs
        </caption>
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">
              Writes lost <span className="cmp-unit">(RPO, writes)</span>
            </th>
            <th scope="col">
              Data lost <span className="cmp-unit">(RPO, s)</span>
            </th>
            <th scope="col">
              Writes failing <span className="cmp-unit">(RTO, s)</span>
            </th>
            <th scope="col">
              Writes confirmed again <span className="cmp-unit">(s after the disaster)</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {comparison.rows.map((row) => (
            <tr key={row.strategy} data-strategy={row.strategy}>
              <th scope="row">{row.label}</th>
              <td>{row.rpoWrites}</td>
              <td>{(row.rpoMs / 1000).toFixed(2)}</td>
              <td>
                {(row.rtoMs / 1000).toFixed(2)}
                {row.recovered ? '' : '+'}
              </td>
              <td>{row.resumedAfterMs === null ? 'never' : (row.resumedAfterMs / 1000).toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunNotes({ rows, links }: { rows: readonly ComparisonRow[]; links: readonly string[] }) {
  return (
    <details className="cmp-notes">
      <summary>What happened in each run</summary>
      <dl>
        {rows.map((row, i) => (
          <div key={row.strategy}>
            <dt>{row.label}</dt>
            <dd>
              {row.notes}{' '}
              {links[i] && (
                <button type="button" className="cmp-open" onClick={() => openRun(links[i]!)} aria-label={`Open the ${row.label} run in the playground`}>
                  Open this run
                </button>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function Results() {
  const comparison = useComparison((s) => s.comparison);
  const links = useComparison((s) => s.links);
  const status = useComparison((s) => s.status);
  if (!comparison) return null;
  const stale = status === 'running';
  return (
    <div className={`cmp-results${stale ? ' is-stale' : ''}`} aria-busy={stale}>
      <p className="cmp-reading" data-testid="comparison-reading">
        {comparison.reading}
      </p>
      <ComparisonTable comparison={comparison} />
      <ComparisonChart rows={comparison.rows} />
      <ScaleNote scale={comparison.scale} />
      <RunNotes rows={comparison.rows} links={links} />
      <p className="small muted">
        Every figure is read from the run’s own report and trace; <code>npm run sim -- --compare {comparison.disaster}</code> prints the same table.
      </p>
    </div>
  );
}

export function CompareDialog() {
  const open = useComparison((s) => s.open);
  const running = useComparison((s) => s.status === 'running');
  return (
    <ToolDialog open={open} title="Compare protection strategies" className="cmp-dialog" onClose={closeComparison}>
      <div className="cmp-controls">
        <DisasterChoice />
        <button type="button" onClick={() => runComparison()} disabled={running}>
          {running ? 'Running…' : 'Run comparison'}
        </button>
      </div>
      <Progress />
      <Results />
    </ToolDialog>
  );
}
