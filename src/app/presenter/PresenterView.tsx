/**
 * Presenter mode: the page as a class sees it on a projector. Large type, high contrast, the
 * graph as big as the screen allows, the playback bar (clock, Time and Speed), the current lesson
 * step and the latest event,
 * the selected node with its actions, the meters (a strip under the graph, so that a long lesson
 * step never pushes them off the screen), and a legend of the keys that drive it all.
 */
import { useEffect, type MouseEvent } from 'react';
import { Announcer } from '../components/panels/EventLog';
import { CrashBanner, LoadErrorBanner } from '../components/shell/Banner';
import { NodeActions } from '../components/node-menu/NodeActions';
import { Meters } from '../components/panels/Meters';
import { NodeMenu } from '../components/node-menu/NodeMenu';
import { PlaybackBar } from '../components/playback/PlaybackBar';
import { FailoverSteps } from '../failover/FailoverSteps';
import { GraphView } from '../graph/GraphView';
import { LessonCard } from '../lessons/LessonPanel';
import { useLesson } from '../lessons/lesson-store';
import { useSim } from '../store/sim-store';
import { legendRows, pageCommand } from '../actions/commands';
import './presenter.css';
import { fullScreenOffered, leavePresenter, requestFullScreen, usePresenter } from './presenter-store';


function PresenterBar() {
  const title = useSim((s) => s.info?.title ?? '');
  const fullScreen = usePresenter((s) => s.fullScreen);
  return (
    <header className="presenter-top">
      <h1 className="presenter-title">{title || 'HA Playground'}</h1>
      <PlaybackBar />
      <div className="presenter-exit">
        {!fullScreen && fullScreenOffered() && (
          <button type="button" onClick={requestFullScreen}>
            Full screen
          </button>
        )}
        <button type="button" onClick={leavePresenter}>
          {pageCommand('leave-presenter').label} <kbd>Esc</kbd>
        </button>
      </div>
    </header>
  );
}

function SelectedNode() {
  const id = useSim((s) => (s.selection?.kind === 'node' ? s.selection.id : null));
  const node = useSim((s) => (id ? s.nodesById[id] : undefined));
  if (!node) return <p className="presenter-selected muted">No node selected: click one, or press 1–9 or s.</p>;
  return (
    <section className="presenter-selected" aria-label={`Selected node ${node.id}`}>
      <p>
        <strong>{node.id}</strong> {node.up ? node.view.role : 'down'}
      </p>
      <NodeActions node={node} />
    </section>
  );
}

function KeyLegend() {
  return (
    <footer className="presenter-keys" aria-label="Keys">
      {legendRows().map(({ keys, words }) => (
        <span key={keys}>
          <kbd>{keys}</kbd> {words}
        </span>
      ))}
    </footer>
  );
}

export function PresenterView() {
  const status = useSim((s) => s.status);
  const hasLesson = useLesson((s) => s.steps.length > 0);
  useEffect(() => {
    document.documentElement.classList.add('is-presenting');
    return () => document.documentElement.classList.remove('is-presenting');
  }, []);
  // A button clicked with the mouse gives the focus back to the page, so that Space then plays or
  // pauses instead of pressing that button again (a teacher clicks Next, then reaches for Space).
  const releaseFocus = (event: MouseEvent<HTMLDivElement>) => {
    if (event.detail > 0 && event.target instanceof Element) event.target.closest('button')?.blur();
  };
  return (
    <div className="app presenter" data-presenter="on" onClick={releaseFocus}>
      <PresenterBar />
      <LoadErrorBanner />
      <CrashBanner />
      <main className="presenter-stage">
        <div className="graph" aria-busy={status === 'starting'}>
          {status === 'starting' ? <p className="graph-empty">Starting the simulation…</p> : <GraphView />}
        </div>
        {/* Under the graph, one strip whose height is the scenario's, not the moment's: every meter on screen. */}
        <Meters />
        <aside className="presenter-side">
          {hasLesson && <LessonCard large />}
          <Announcer />
          <FailoverSteps />
          <SelectedNode />
        </aside>
      </main>
      <KeyLegend />
      <NodeMenu />
    </div>
  );
}
