/**
 * The embed layout (`?embed=1`): a scenario in an article's column. The title, the graph, the
 * current lesson step, the selected node's actions, the playback bar and the last few events; the
 * playground's toolbar, inspector panels, meters and chart stay in the full page, one link away.
 * Its height follows its content, never the frame's, so the page around it can size the iframe
 * from the `resize` messages without a loop.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ComponentType, type SyntheticEvent } from 'react';
import { formatMs } from '../../sim';
import { CrashBanner } from '../components/shell/Banner';
import { Announcer } from '../components/panels/EventLog';
import { PlaybackBar } from '../components/playback/PlaybackBar';
import { StillGraph } from '../graph/StillGraph';
import { LessonCard } from '../lessons/LessonPanel';
import { commands } from '../store/engine';
import { parseHash } from '../store/location';
import { useSim, type SimState } from '../store/sim-store';
import { startBridge } from './bridge';
import { onEmbedKey } from './keys';
import { loadLinkEncoder, playgroundHash, playgroundUrl } from './links';
import { SkipToFault } from './SkipToFault';
import './embed.css';

/** Events shown under the playback bar; the full log is in the playground. */
const RECENT_EVENTS = 3;

/**
 * A part of the embed whose code is fetched only once `shown` first says it is needed, and drawn
 * only while it does: most readers never open a menu or select a node, and never download them.
 */
function onDemand(load: () => Promise<ComponentType>, shown: (s: SimState) => boolean): ComponentType {
  const Part = lazy(() => load().then((component) => ({ default: component })));
  return function OnDemand() {
    return useSim(shown) ? (
      <Suspense fallback={null}>
        <Part />
      </Suspense>
    ) : null;
  };
}

/** The context menu (right click, ContextMenu key). */
const LazyNodeMenu = onDemand(() => import('../components/node-menu/NodeMenu').then((m) => m.NodeMenu), (s) => s.menu !== null);
/** The selected node's actions or link's state. */
const Selected = onDemand(() => import('./SelectedPanel').then((m) => m.SelectedPanel), (s) => s.selection !== null);

function presetInAddress(): string | null {
  const { target } = parseHash(location.hash);
  return target.kind === 'preset' ? target.id : null;
}

/** The full page with the same run at the moment on screen; the address is refreshed as the link is about to be followed. */
function OpenInPlayground({ preset }: { preset: string | null }) {
  const recorded = useSim((s) => s.recorded);
  const actionCount = useSim((s) => s.actionCount);
  // While paused the time on screen is part of the link; while playing it is read when the link is used.
  const pausedAtMs = useSim((s) => (s.playing ? null : Math.floor(s.nowMs)));
  // The reader's clicks travel in `#s=`: its encoder is fetched when the first one is made.
  const [, encoderLoaded] = useState(false);
  const needsEncoder = actionCount > 0 || preset === null;
  useEffect(() => {
    if (needsEncoder) void loadLinkEncoder().then(() => encoderLoaded(true));
  }, [needsEncoder]);
  const hrefAt = (atMs: number) => playgroundUrl(location.href, playgroundHash({ preset, recorded, actionCount, atMs }));
  const refresh = (event: SyntheticEvent<HTMLAnchorElement>) => {
    event.currentTarget.href = hrefAt(useSim.getState().nowMs);
  };
  return (
    <a
      className="embed-open"
      href={hrefAt(pausedAtMs ?? useSim.getState().nowMs)}
      target="_blank"
      rel="noopener"
      onPointerDown={refresh}
      onFocus={refresh}
      onMouseEnter={refresh}
      onClick={refresh}
      onContextMenu={refresh}
    >
      Open in playground<span className="visually-hidden"> (opens in a new tab)</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}

/** One line on the safety checks: they hold, or which ones broke (the lesson of an unsafe scenario). */
function Safety() {
  const invariants = useSim((s) => s.invariants);
  if (invariants.length === 0) return null;
  const broken = invariants.filter((i) => !i.ok);
  if (broken.length === 0) {
    return (
      <p className="embed-safety">
        <span aria-hidden="true">✓ </span>Safety checks hold
      </p>
    );
  }
  return (
    <p className="embed-safety is-broken">
      <span aria-hidden="true">⚠ </span>Broken: {broken.map((i) => i.name).join(', ')}
    </p>
  );
}

function Header({ preset }: { preset: string | null }) {
  const title = useSim((s) => s.info?.title);
  return (
    <header className="embed-top">
      <div className="embed-heading">
        <h1 className="embed-title">{title ?? 'HA Playground'}</h1>
        <Safety />
      </div>
      <OpenInPlayground preset={preset} />
    </header>
  );
}

function Stage() {
  const status = useSim((s) => s.status);
  const loadError = useSim((s) => s.loadError);
  return (
    <div className="graph embed-graph" aria-busy={status === 'starting'}>
      {status === 'starting' && <p className="graph-empty">Starting the simulation…</p>}
      {status === 'load-error' && (
        <section className="embed-error" role="alert" aria-labelledby="embed-error-title">
          <h2 id="embed-error-title">This scenario could not be opened</h2>
          <p className="banner-message">{loadError}</p>
        </section>
      )}
      {(status === 'running' || status === 'crashed') && <StillGraph />}
    </div>
  );
}

/** The last few notable events, newest first; each seeks to its moment, as in the playground's log. */
function RecentEvents() {
  const log = useSim((s) => s.log);
  const lines = useMemo(() => log.filter((l) => l.notable).slice(-RECENT_EVENTS).reverse(), [log]);
  return (
    <section className="embed-log" aria-labelledby="embed-log-title">
      <h2 id="embed-log-title" className="visually-hidden">
        Latest events
      </h2>
      {lines.length === 0 ? (
        <p className="muted">Nothing has happened yet: press Play, or click a node to break it.</p>
      ) : (
        <ol>
          {lines.map((line) => (
            <li key={line.seq}>
              <button type="button" onClick={() => commands.seek(line.atMs)} title="Go to this moment">
                <time>{formatMs(line.atMs)}</time> {line.text}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function EmbedApp() {
  const root = useRef<HTMLDivElement>(null);
  const [preset, setPreset] = useState(presetInAddress);
  const title = useSim((s) => s.info?.title);
  useEffect(() => {
    const onHashChange = () => setPreset(presetInAddress());
    addEventListener('hashchange', onHashChange);
    addEventListener('keydown', onEmbedKey);
    const stopBridge = startBridge({ root: root.current!, onLoadedByMessage: () => setPreset(null) });
    return () => {
      removeEventListener('hashchange', onHashChange);
      removeEventListener('keydown', onEmbedKey);
      stopBridge();
    };
  }, []);
  useEffect(() => {
    document.title = title ? `${title} · HA Playground` : 'HA Playground';
  }, [title]);
  return (
    <div className="embed" ref={root}>
      <Header preset={preset} />
      <CrashBanner />
      <Announcer />
      <Stage />
      <LessonCard />
      <Selected />
      <PlaybackBar />
      <SkipToFault />
      <RecentEvents />
      <LazyNodeMenu />
    </div>
  );
}
