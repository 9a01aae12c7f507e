/**
 * The run in plain words, newest first. Each line is a button that seeks to its moment; the
 * notable ones are also announced through the `role="status"` live region.
 */
import { useState } from 'react';
import { formatMs } from '../../../sim';
import { commands } from '../../store/engine';
import { useSim } from '../../store/sim-store';
import { useLesson } from '../../lessons/lesson-store';

/** Rendering more lines than this costs frames and helps nobody; older ones are a seek away. */
const LINES_SHOWN = 200;

export function EventLog() {
  const log = useSim((s) => s.log);
  const [notableOnly, setNotableOnly] = useState(true);
  const lines = (notableOnly ? log.filter((l) => l.notable) : log).slice(-LINES_SHOWN).reverse();
  return (
    <section className="panel event-log" aria-labelledby="log-title">
      <header className="panel-header">
        <h2 id="log-title">What happened</h2>
        <fieldset className="log-filter">
          <legend className="visually-hidden">Show</legend>
          <label>
            <input type="radio" name="log-filter" checked={notableOnly} onChange={() => setNotableOnly(true)} /> Notable
          </label>
          <label>
            <input type="radio" name="log-filter" checked={!notableOnly} onChange={() => setNotableOnly(false)} /> All
          </label>
        </fieldset>
      </header>
      {lines.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="log-lines">
          {lines.map((line) => (
            <li key={line.seq}>
              <button type="button" className={line.notable ? 'is-notable' : ''} onClick={() => commands.seek(line.atMs)} title="Go to this moment">
                <time>{formatMs(line.atMs)}</time> {line.text}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The latest notable event, visible and announced politely. */
export function Announcer() {
  const announcement = useSim((s) => s.announcement);
  // The lesson's step changes are said here too, in a span of their own, so the next event does not cut them off.
  const lessonLine = useLesson((s) => s.said);
  return (
    <p className="announcer" role="status" aria-live="polite">
      {announcement}
      {lessonLine && <span className="visually-hidden"> {lessonLine}</span>}
    </p>
  );
}
