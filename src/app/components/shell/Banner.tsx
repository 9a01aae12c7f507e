/** A link that cannot be opened, or a worker that failed: said plainly, with a way forward. */
import { openDefault, openSaved, restartWorker } from '../../store/engine';
import { loadSavedRun } from '../../store/persistence';
import { useSim } from '../../store/sim-store';

export function LoadErrorBanner() {
  const message = useSim((s) => s.loadError);
  const title = useSim((s) => s.loadErrorTitle);
  if (!message) return null;
  const hasSaved = loadSavedRun() !== null;
  return (
    <section className="banner banner-error" role="alert" aria-labelledby="load-error-title">
      <h2 id="load-error-title">{title ?? 'This link could not be opened'}</h2>
      <p className="banner-message">{message}</p>
      <div className="banner-actions">
        <button type="button" onClick={() => void openDefault()}>
          Open the default scenario
        </button>
        {hasSaved && (
          <button type="button" onClick={() => openSaved()}>
            Go back to your last run
          </button>
        )}
        <button type="button" className="quiet" onClick={() => useSim.setState({ loadError: null })}>
          Dismiss
        </button>
      </div>
    </section>
  );
}

export function CrashBanner() {
  const message = useSim((s) => s.crashMessage);
  const actions = useSim((s) => s.actionCount);
  if (!message) return null;
  return (
    <section className="banner banner-error" role="alert" aria-labelledby="crash-title">
      <h2 id="crash-title">The simulation stopped</h2>
      <p className="banner-message">Something went wrong inside the simulation: {message}</p>
      <p>
        Your scenario and your {actions} recorded action{actions === 1 ? '' : 's'} are safe. Restarting replays them and stops at the same moment.
      </p>
      <div className="banner-actions">
        <button type="button" onClick={restartWorker}>
          Restart the run
        </button>
      </div>
    </section>
  );
}
