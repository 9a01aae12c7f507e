/**
 * The selected node's live statechart: every node runs an XState machine, and this draws that
 * machine's states from its own definition (the outlines the worker sends once per run), marks
 * the state it is in now and the one it left, and says what the last move was and which event
 * caused it, so a learner can watch a Raft node go follower → candidate → leader. A node with a
 * failover agent beside its Raft member shows both machines; the agent's states are the steps of
 * its failover plan, and the few moves before the last are listed under it, so
 * its path through a plan (confirming → fencing → promoting → done) stays in view.
 *
 * Each chart is one focusable figure whose name says it all in a sentence; its transitions are
 * listed under a disclosure, those leaving the current state first. The highlight fades in only
 * when the reader allows motion (statechart.css).
 */
import type { LiveStatechart, StatechartOutline, StatechartState, StatechartTransition } from '../../../worker/protocol';
import type { NodeState } from '../../../sim';
import { useSim } from '../../store/sim-store';
import './statechart.css';

function seconds(atMs: number): string {
  return `${(atMs / 1000).toFixed(1)} s`;
}

/** `running.fencing` → `fencing`: the last part names a nested state well enough inside its parent's box. */
const leaf = (path: string) => path.slice(path.lastIndexOf('.') + 1);
const names = (paths: readonly string[]) => paths.map(leaf).join(' + ');

/** Whether `path` is active or holds an active state. */
function holds(path: string, active: readonly string[]): boolean {
  return active.some((p) => p === path || p.startsWith(`${path}.`));
}

function moveWords(live: LiveStatechart): string {
  const last = live.last;
  if (!last) return '';
  if (last.from.length === 0) return `Started in ${names(last.to)} at ${seconds(last.atMs)}.`;
  return `${names(last.from)} → ${names(last.to)} on ${last.event} at ${seconds(last.atMs)}.`;
}

/** How many moves before the last one the chart lists. */
const EARLIER_MOVES = 3;

/**
 * The moves before the last one (a failover agent's confirming → fencing → promoting, the fence and
 * the promotion often in one instant), oldest first, in words; '' when there were none.
 */
function earlierWords(live: LiveStatechart): string {
  const before = live.recent.slice(0, -1).filter((m) => m.from.length > 0).slice(-EARLIER_MOVES);
  if (before.length === 0) return '';
  return `Before that: ${before.map((m) => `${names(m.from)} → ${names(m.to)} on ${m.event} at ${seconds(m.atMs)}`).join('; ')}.`;
}

function StateBox({ state, live }: { state: StatechartState; live: LiveStatechart }) {
  const current = holds(state.path, live.active);
  const was = !current && live.last !== null && holds(state.path, live.last.from);
  const classes = ['statechart-state', current ? 'is-current' : '', was ? 'was-current' : '', state.states.length > 0 ? 'has-children' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-state={state.path} aria-current={current && state.states.length === 0 ? 'true' : undefined} title={state.description ?? undefined}>
      <span className="statechart-state-name">
        {state.initial && (
          <span className="statechart-initial" aria-label="initial state">
            ●{' '}
          </span>
        )}
        {state.key}
        {current && state.states.length === 0 && <span className="visually-hidden"> (current)</span>}
        {was && <span className="visually-hidden"> (previous)</span>}
      </span>
      {state.states.length > 0 && (
        <ol className={`statechart-states${state.parallel ? ' is-parallel' : ''}`}>
          {state.states.map((child) => (
            <StateBox key={child.path} state={child} live={live} />
          ))}
        </ol>
      )}
    </li>
  );
}

function flatten(states: readonly StatechartState[]): StatechartState[] {
  return states.flatMap((s) => [s, ...flatten(s.states)]);
}

function transitionWords(t: StatechartTransition): string {
  const on = t.event === 'always' ? 'as soon as' : `on ${t.event}`;
  const guard = t.guard ? (t.event === 'always' ? ` ${t.guard}` : ` if ${t.guard}`) : t.event === 'always' ? ' entered' : '';
  return `${on}${guard} → ${names(t.targets)}`;
}

function Transitions({ outline, live }: { outline: StatechartOutline; live: LiveStatechart }) {
  const all = flatten(outline.states).filter((s) => s.transitions.length > 0);
  // The ways out of where the machine is now come first: what can happen next.
  const ordered = [...all.filter((s) => holds(s.path, live.active)), ...all.filter((s) => !holds(s.path, live.active))];
  if (ordered.length === 0) return null;
  return (
    <details className="statechart-transitions">
      <summary>Transitions</summary>
      <dl>
        {ordered.map((state) => (
          <div key={state.path} className={holds(state.path, live.active) ? 'is-current' : undefined}>
            <dt>from {state.path}</dt>
            {state.transitions.map((t, i) => (
              <dd key={i}>{transitionWords(t)}</dd>
            ))}
          </div>
        ))}
      </dl>
    </details>
  );
}

function Chart({ nodeId, outline, live }: { nodeId: string; outline: StatechartOutline; live: LiveStatechart }) {
  const move = moveWords(live);
  const before = earlierWords(live);
  const label = `${nodeId}'s ${outline.id} machine is in ${names(live.active)}. ${move}${before ? ` ${before}` : ''}`;
  return (
    <figure className="statechart" data-chart={outline.id}>
      <figcaption>
        <span className="statechart-title">{outline.id}</span> <span className="muted">machine</span>
      </figcaption>
      <div className="statechart-body" tabIndex={0} role="group" aria-label={label}>
        <ol className="statechart-states" aria-hidden="true">
          {outline.states.map((state) => (
            <StateBox key={state.path} state={state} live={live} />
          ))}
        </ol>
        {move && (
          <p className="statechart-last small" data-last-move="" aria-hidden="true">
            {move}
          </p>
        )}
        {before && (
          <p className="statechart-before small muted" data-earlier-moves="" aria-hidden="true">
            {before}
          </p>
        )}
      </div>
      <Transitions outline={outline} live={live} />
    </figure>
  );
}

export function StatechartView({ node }: { node: NodeState }) {
  const outlines = useSim((s) => s.info?.statecharts);
  if (!outlines) return null;
  const charts = (node.statecharts ?? []).flatMap((live) => (outlines[live.chart] ? [{ live, outline: outlines[live.chart]! }] : []));
  return (
    <section className="statecharts" aria-label={`Statechart of ${node.id}`}>
      <h3>Statechart</h3>
      {charts.length === 0 ? (
        <p className="muted small">No machine runs while {node.id} is down.</p>
      ) : (
        charts.map(({ live, outline }) => <Chart key={live.chart} nodeId={node.id} outline={outline} live={live} />)
      )}
    </section>
  );
}
