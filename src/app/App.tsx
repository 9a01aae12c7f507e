/**
 * The playground page: header, the latest event, the stage, playback bar. The stage is the graph's
 * region, whose size depends on the window alone, and a side column beside it (under it on a
 * phone) with everything that comes and goes: the lesson step, the challenge, the partition tool,
 * the failover steps, the meters, the inspector, the chart and the event log. Nothing that appears
 * or changes height there moves or rescales a node.
 */
import { useEffect } from 'react';
import { AnimatePresence } from 'motion/react';
import { Appear } from './components/shell/Appear';
import { Announcer, EventLog } from './components/panels/EventLog';
import { CrashBanner, LoadErrorBanner } from './components/shell/Banner';
import { EditorDraftNotice } from './editor/ScenarioFiles';
import { Inspector } from './components/inspector/Inspector';
import { LinkPanel } from './components/inspector/LinkPanel';
import { Markdown } from './markdown/Markdown';
import { Meters } from './components/panels/Meters';
import { FailoverSteps } from './failover/FailoverSteps';
import { WriteChart } from './chart/WriteChart';
import { NodeMenu } from './components/node-menu/NodeMenu';
import { PartitionNote, PartitionPanel } from './components/toolbar/PartitionTool';
import { PlaybackBar, SkipToPlayback } from './components/playback/PlaybackBar';
import { Toolbar } from './components/toolbar/Toolbar';
import { GraphView } from './graph/GraphView';
import { LessonCard } from './lessons/LessonPanel';
import { ChallengePanel } from './challenge/ChallengePanel';
import { PresenterView } from './presenter/PresenterView';
import { usePresenter } from './presenter/presenter-store';
import { SHORTCUTS, onShortcut } from './shortcuts';
import { useSim } from './store/sim-store';

function Invariants() {
  const invariants = useSim((s) => s.invariants);
  const broken = invariants.filter((i) => !i.ok);
  if (invariants.length === 0) return null;
  return (
    <p className={`invariants${broken.length > 0 ? ' is-broken' : ''}`} title={broken.length === 0 ? undefined : `Broken: ${broken.map((i) => `${i.name} (${i.violations})`).join(', ')}`}>
      {broken.length === 0 ? (
        <>
          <span aria-hidden="true">✓ </span>Safety checks hold ({invariants.length})
        </>
      ) : (
        <>
          <span aria-hidden="true">⚠ </span>Broken: {broken.map((i) => `${i.name} (${i.violations})`).join(', ')}
        </>
      )}
    </p>
  );
}

/** The scenario's own description, in the safe markdown subset (React elements, never HTML). */
function AboutScenario() {
  const description = useSim((s) => s.info?.description ?? '');
  if (!description) return null;
  return (
    <details className="panel about" open>
      <summary>About this scenario</summary>
      <Markdown source={description} className="about-text" />
    </details>
  );
}

/** What is happening now, at the top of the side column: the step, the goal, the partition, the failover, the meters. */
function NowPanels() {
  return (
    <div className="side-now">
      <LoadErrorBanner />
      <CrashBanner />
      <EditorDraftNotice />
      <PartitionPanel />
      <PartitionNote />
      <LessonCard />
      <ChallengePanel />
      <FailoverSteps />
      <Meters />
    </div>
  );
}

function SidePanel() {
  const selection = useSim((s) => s.selection);
  return (
    <aside className="side" aria-label="Lesson, meters and details">
      <NowPanels />
      {/* The inspector, the link panel and the hint slide in and out as the selection changes. */}
      <AnimatePresence mode="wait" initial={false}>
        {selection?.kind === 'node' && (
          <Appear key={`node:${selection.id}`}>
            <Inspector id={selection.id} />
          </Appear>
        )}
        {selection?.kind === 'link' && (
          <Appear key={`link:${selection.a}|${selection.b}`}>
            <LinkPanel a={selection.a} b={selection.b} />
          </Appear>
        )}
        {selection === null && (
          <Appear key="hint">
            <section className="panel hint">
              <p>Select a node to inspect it and break it, or a link to cut it.</p>
              <details>
                <summary>Keyboard shortcuts</summary>
                <dl className="shortcuts">
                  {SHORTCUTS.map(([key, what]) => (
                    <div key={key}>
                      <dt>
                        <kbd>{key}</kbd>
                      </dt>
                      <dd>{what}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            </section>
          </Appear>
        )}
      </AnimatePresence>
      <WriteChart />
      <AboutScenario />
      <EventLog />
    </aside>
  );
}

export function App() {
  const title = useSim((s) => s.info?.title);
  const status = useSim((s) => s.status);
  const presenting = usePresenter((s) => s.on);
  useEffect(() => {
    addEventListener('keydown', onShortcut);
    return () => removeEventListener('keydown', onShortcut);
  }, []);
  useEffect(() => {
    document.title = title ? `${title} · HA Playground` : 'HA Playground';
  }, [title]);
  if (presenting) {
    return <PresenterView />;
  }
  return (
    <div className="app">
        <SkipToPlayback />
        <header className="top">
          <div className="brand">
            <h1 title={title ? `HA Playground · ${title}` : undefined}>
              HA Playground<span className="scenario-title">{title ? ` · ${title}` : ''}</span>
            </h1>
            <Invariants />
          </div>
          <Toolbar />
        </header>
        <Announcer />
        <main className="stage">
          <div className="graph" aria-busy={status === 'starting'}>
            {status === 'starting' ? <p className="graph-empty">Starting the simulation…</p> : <GraphView />}
          </div>
          <SidePanel />
        </main>
        <PlaybackBar />
        <NodeMenu />
      </div>
  );
}
