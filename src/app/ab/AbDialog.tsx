/**
 * "A/B side by side" (in Tools): the playground's scenario run twice on one seed, one setting
 * each way (PreVote off and on, synchronous or asynchronous standbys, fencing, quorum, Raft or
 * Bully…), on one clock. Both graphs and both sets of meters are drawn side by side (one at a
 * time, with a switch, on a phone) by the playground's own components, each reading its run's
 * store; the first moment their traces part is marked on the timeline and said in words; **Copy
 * link** gives an address that opens the same comparison. Space plays and pauses; Escape closes.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { AB_KNOBS, abKnob, formatMs, type AbKnobId, type FirstDifference, type NodeState } from '../../sim';
import { ToolDialog } from '../components/shell/ToolDialog';
import { ActionForm } from '../components/shell/ActionForm';
import { Meters, writablePrimaries } from '../components/panels/Meters';
import { StillGraph } from '../graph/StillGraph';
import { SimStoreContext, useSim } from '../store/sim-store';
import { abCommands, abLink, AB_SPEEDS, chooseKnob, chooseValue, closeAb, openAb, runAb, useAb, type AbSide } from './ab-store';
import './ab.css';

export function AbButton() {
  return (
    <button type="button" onClick={() => openAb()} title="Run this scenario twice on one seed, one setting each way, side by side, and see where they first differ">
      A/B side by side
    </button>
  );
}

function SetupForm() {
  const knobId = useAb((s) => s.knob);
  const a = useAb((s) => s.a);
  const b = useAb((s) => s.b);
  const seedText = useAb((s) => s.seedText);
  const loading = useAb((s) => s.status === 'loading');
  const base = useSim((s) => s.recorded);
  const knob = abKnob(knobId);
  const values = knob?.values ?? [];
  return (
    <ActionForm className="ab-setup" onSubmit={runAb}>
      <label>
        Setting
        <select value={knobId} onChange={(e) => chooseKnob(e.currentTarget.value as AbKnobId)}>
          {!knob && <option value={knobId}>{knobId} (unknown)</option>}
          {AB_KNOBS.map((k) => {
            const why = base ? k.unusable(base) : null;
            return (
              <option key={k.id} value={k.id} disabled={why !== null}>
                {k.label}
                {why ? ` (${why})` : ''}
              </option>
            );
          })}
        </select>
      </label>
      {(['a', 'b'] as const).map((side) => (
        <label key={side}>
          <span className="ab-tag">{side.toUpperCase()}</span>
          <select value={side === 'a' ? a : b} onChange={(e) => chooseValue(side, e.currentTarget.value)} aria-label={`${side.toUpperCase()} runs with`}>
            {values.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        Seed
        <input type="text" inputMode="numeric" size={10} value={seedText} onChange={(e) => useAb.setState({ seedText: e.currentTarget.value })} />
      </label>
      <button type="submit" disabled={loading}>
        {loading ? 'Building…' : 'Run A/B'}
      </button>
    </ActionForm>
  );
}

function differenceWords(d: FirstDifference, labels: readonly [string, string]): string {
  const side = (name: string, label: string, line: FirstDifference['a']) => {
    if (line === null) return `${name} (${label}): nothing more happens`;
    if (line.atMs !== d.atMs) return `${name} (${label}): nothing then; next, at ${formatMs(line.atMs)}, ${line.text}`;
    return `${name} (${label}): ${line.text}`;
  };
  return `First difference at ${formatMs(d.atMs)}: ${side('A', labels[0], d.a)}; ${side('B', labels[1], d.b)}.`;
}

function Difference() {
  const difference = useAb((s) => s.difference);
  const labels = useAb((s) => s.labels);
  const searchedMs = useAb((s) => s.searchedMs);
  const status = useAb((s) => s.status);
  if (status !== 'ready') return null;
  const text =
    difference === undefined
      ? 'Looking for the first difference…'
      : difference === null
        ? `No difference: both runs tell the same events up to ${formatMs(searchedMs)}.`
        : differenceWords(difference, labels);
  return (
    <p className="ab-difference" role="status" data-testid="ab-difference">
      {text}
    </p>
  );
}

function CopyAbLink() {
  const [note, setNote] = useState('');
  const [link, setLink] = useState('');
  const ready = useAb((s) => s.status === 'ready');
  const copy = async () => {
    const url = abLink();
    if (!url) return;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setNote('Link copied: it opens this comparison.');
    } catch {
      setNote('Copying is blocked here; select the link below and copy it.');
    }
  };
  return (
    <div className="ab-link">
      <button type="button" onClick={() => void copy()} disabled={!ready}>
        Copy link
      </button>
      <span className="muted small" role="status">
        {note}
      </span>
      {link && <input className="ab-link-text" type="text" readOnly value={link} aria-label="Link to this comparison" onFocus={(e) => e.currentTarget.select()} />}
    </div>
  );
}

/** The time slider's step: its arrow keys move both runs by this much. */
const TIME_STEP_MS = 10;

function Timeline() {
  const nowMs = useAb((s) => s.nowMs);
  const durationMs = useAb((s) => s.durationMs);
  const difference = useAb((s) => s.difference);
  const ready = useAb((s) => s.status === 'ready');
  const at = (ms: number) => `${Math.min(100, (ms / Math.max(1, durationMs)) * 100)}%`;
  return (
    <div className="ab-timeline">
      <input
        type="range"
        min={0}
        max={durationMs}
        step={TIME_STEP_MS}
        // On the slider's grid: a value off it (1537 with a step of 10) makes the browser's keys misbehave.
        value={Math.floor(nowMs / TIME_STEP_MS) * TIME_STEP_MS}
        disabled={!ready}
        aria-label="Time of both runs"
        aria-valuetext={formatMs(Math.floor(nowMs))}
        onChange={(e) => abCommands.seek(Number(e.currentTarget.value))}
      />
      {difference && (
        <span className="ab-mark" style={{ left: at(difference.atMs) }} data-testid="ab-difference-mark" title={`First difference at ${formatMs(difference.atMs)}`}>
          <span className="ab-mark-label">first difference {formatMs(difference.atMs)}</span>
        </span>
      )}
    </div>
  );
}

function Playback() {
  const playing = useAb((s) => s.playing);
  const ready = useAb((s) => s.status === 'ready');
  const nowMs = useAb((s) => s.nowMs);
  const speed = useAb((s) => s.speed);
  const difference = useAb((s) => s.difference);
  const speedId = useId();
  return (
    <div className="ab-playback">
      <button type="button" className="ab-play" onClick={abCommands.toggle} disabled={!ready} aria-label={playing ? 'Pause both runs' : 'Play both runs'}>
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <span className="ab-clock" aria-hidden="true">
        {formatMs(Math.floor(nowMs))}
      </span>
      <Timeline />
      {difference && (
        <button type="button" onClick={() => abCommands.seek(difference.atMs)}>
          Go to the first difference
        </button>
      )}
      <label htmlFor={speedId} className="ab-speed">
        Speed
        <select id={speedId} value={speed} onChange={(e) => abCommands.setSpeed(Number(e.currentTarget.value))}>
          {AB_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <CopyAbLink />
    </div>
  );
}

/** What a side's run shows now in words: the leader and term, the safety checks, the latest event. */
function Facts() {
  const leader = useSim((s) => s.nodeIds.filter((id) => s.nodesById[id]?.up && s.nodesById[id]?.kind === 'orchestrator' && s.nodesById[id]?.view.role === 'leader').join(' and '));
  const hasOrchestrators = useSim((s) => s.nodeIds.some((id) => s.nodesById[id]?.kind === 'orchestrator'));
  const term = useSim((s) => Math.max(0, ...s.nodeIds.map((id) => s.nodesById[id]).filter((n): n is NodeState => n?.kind === 'orchestrator').map((n) => n.view.term ?? 0)));
  const primaries = useSim((s) => (s.info?.hasDatabase ? writablePrimaries(s.nodeIds.map((id) => s.nodesById[id]!)).join(' and ') : null));
  const broken = useSim((s) => s.invariants.filter((i) => !i.ok).map((i) => i.name).join(', '));
  const latest = useSim((s) => s.announcement);
  return (
    <dl className="ab-facts">
      {hasOrchestrators && (
        <div>
          <dt>Leader</dt>
          <dd data-fact="leader">
            {leader || 'none'} <span className="muted">(term {term})</span>
          </dd>
        </div>
      )}
      {primaries !== null && (
        <div>
          <dt>Primary</dt>
          <dd data-fact="primary">{primaries || 'none'}</dd>
        </div>
      )}
      <div>
        <dt>Safety</dt>
        <dd data-fact="safety" className={broken ? 'is-broken' : undefined}>
          {broken ? `⚠ broken: ${broken}` : '✓ holds'}
        </dd>
      </div>
      <div className="ab-latest">
        <dt>Latest</dt>
        <dd data-fact="latest">{latest || '—'}</dd>
      </div>
    </dl>
  );
}

function SideView({ side }: { side: AbSide }) {
  const store = useAb((s) => s.stores[side]);
  const label = useAb((s) => s.labels[side]);
  const ready = useAb((s) => s.status === 'ready');
  const name = side === 0 ? 'A' : 'B';
  return (
    <section className="ab-side" data-ab-side={name.toLowerCase()} aria-label={`Run ${name}${label ? `: ${label}` : ''}`}>
      <h3>
        <span className="ab-tag">{name}</span> {label}
      </h3>
      <SimStoreContext.Provider value={store}>
        {ready && <Facts />}
        {/* A picture of the run: its nodes are not for clicking here (the facts above say it in words). */}
        <div className="ab-graph" inert data-testid={`ab-graph-${name.toLowerCase()}`}>
          {ready ? <StillGraph /> : <p className="graph-empty">Building the run…</p>}
        </div>
        {ready && <Meters />}
      </SimStoreContext.Provider>
    </section>
  );
}

function SideSwitch() {
  const shown = useAb((s) => s.shown);
  const labels = useAb((s) => s.labels);
  return (
    <div className="ab-switch" role="group" aria-label="Run shown">
      {([0, 1] as const).map((side) => (
        <button key={side} type="button" aria-pressed={shown === side} onClick={() => abCommands.show(side)}>
          Show {side === 0 ? 'A' : 'B'}{labels[side] ? `: ${labels[side]}` : ''}
        </button>
      ))}
    </div>
  );
}

/** Space plays and pauses both runs, except where it types or presses a control. */
function onKey(event: KeyboardEvent<HTMLDivElement>): void {
  if (event.key !== ' ') return;
  const target = event.target as HTMLElement;
  if (target.closest('input, select, textarea, button, summary, a')) return;
  event.preventDefault();
  abCommands.toggle();
}

export function AbDialog() {
  const open = useAb((s) => s.open);
  const error = useAb((s) => s.error);
  const shown = useAb((s) => s.shown);
  return (
    <ToolDialog open={open} title="A/B side by side" className="ab-dialog" onClose={closeAb}>
      {/* Focusable so that Space reaches it when nothing inside has the focus. */}
      <div className="ab-body" onKeyDown={onKey} tabIndex={-1}>
        <SetupForm />
        {error && (
          <p className="ab-error" role="alert">
            {error}
          </p>
        )}
        <Playback />
        <Difference />
        <SideSwitch />
        <div className="ab-sides" data-shown={shown === 0 ? 'a' : 'b'}>
          <SideView side={0} />
          <SideView side={1} />
        </div>
      </div>
    </ToolDialog>
  );
}
