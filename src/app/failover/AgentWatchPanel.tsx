/**
 * The inspector's part for an orchestrator's failover agent: whether it watches the database now,
 * its health-check counters for each database node with the last reply, the lease it last
 * renewed, and the failover it is driving. For a database node, who checks it and how it fares.
 */
import { formatLsn, type AgentWatch, type NodeState, type PlanStep, type WatchedNode } from '../../sim';
import { ColumnHeads } from '../components/inspector/ColumnHeads';
import { useSim } from '../store/sim-store';
import { formatClock } from './words';

/** Each plan step as one of the five steps the page names, and what the agent waits for. */
export const PLAN_WORDS: Record<PlanStep, { step: string; words: (from: string, to: string) => string }> = {
  confirming: { step: 'confirm', words: () => 'waiting for a majority of orchestrators to commit the decision' },
  resuming: { step: 'confirm', words: (_, to) => `taking over a failover an earlier leader decided; checking whether ${to} already took over` },
  fencing: { step: 'fence', words: (from) => `powering ${from} off out of band` },
  'fence-failed': { step: 'fence', words: (from) => `${from} could not be fenced, so nothing is promoted; it tries again every interval` },
  'lease-wait': { step: 'fence', words: (from) => `fencing is off: waiting until ${from}'s lease has surely run out` },
  draining: { step: 'fence', words: (from, to) => `switchover: ${from} takes no new writes; waiting until ${to} has caught up` },
  promoting: { step: 'promote', words: (_, to) => `asked ${to} to become primary; waiting for it to take writes` },
  done: { step: 'redirect', words: (_, to) => `done: clients write to ${to}` },
};

function standing(node: NodeState, watch: AgentWatch): string {
  if (!watch.watching) return `${node.id}'s agent stands by: only the agent beside the Raft leader checks the database.`;
  const why = watch.leading ? 'its Raft member leads' : 'quorum is off, so every agent acts on its own';
  return `${node.id}'s agent checks every database node each ${formatClock(watch.intervalMs)} because ${why}. It treats ${watch.primary} as primary (epoch ${watch.epoch}).`;
}

function replyCells(w: WatchedNode) {
  const r = w.lastReply;
  if (!r) return <td colSpan={4}>no reply yet</td>;
  return (
    <>
      <td>{r.role}</td>
      <td>{r.epoch}</td>
      <td>{formatLsn(r.flushLsn)}</td>
      <td>{r.atMs === null ? '—' : formatClock(r.atMs)}</td>
    </>
  );
}

function ChecksTable({ id, watch }: { id: string; watch: AgentWatch }) {
  return (
    <div className="table-scroll watch-scroll">
      <table className="log-table watch-table">
        <caption>Health checks by {id}</caption>
        <ColumnHeads columns={['node', 'failed', 'role', 'epoch', 'flush', 'reply at']} />
        <tbody>
          {watch.nodes.map((w) => (
            <tr key={w.node} data-watched={w.node} className={w.failures > 0 ? 'is-failing' : ''}>
              <th scope="row">{w.node}</th>
              <td>
                {w.failures} of {watch.threshold}
                {w.awaiting ? <span className="muted"> · waiting</span> : null}
              </td>
              {replyCells(w)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LeaseLine({ watch }: { watch: AgentWatch }) {
  const { lease, leaseAnswered, leaseMs } = watch;
  // Tenths of a second are enough to say whether the lease has run out; fewer re-renders.
  const nowMs = useSim((s) => Math.floor(s.nowMs / 100) * 100);
  if (!watch.leases) return <p className="small watch-lease">Quorum is off: no lease is renewed, so a primary cut off from the orchestrators keeps taking writes.</p>;
  if (!lease) return <p className="small muted">It has not renewed a lease yet.</p>;
  const unanswered = lease.answeredAtMs === null ? lease : null;
  return (
    <p className="small watch-lease">
      {leaseAnswered ? (
        <>
          Lease last renewed: {leaseAnswered.node} (epoch {leaseAnswered.epoch}) at {formatClock(leaseAnswered.sentAtMs)}, answered;{' '}
          {leaseAnswered.sentAtMs + leaseMs <= nowMs ? 'it ran out' : 'unless renewed it runs out'} around {formatClock(leaseAnswered.sentAtMs + leaseMs)}.
        </>
      ) : (
        <>No lease renewal has been answered yet.</>
      )}
      {unanswered && unanswered !== leaseAnswered && <> A renewal sent to {unanswered.node} at {formatClock(unanswered.sentAtMs)} is not answered.</>}
    </p>
  );
}

function PlanLine({ watch }: { watch: AgentWatch }) {
  const plan = watch.plan;
  if (!plan) return <p className="small">No failover in progress.</p>;
  if (!watch.watching) {
    // A standing-by agent only reads decisions from the log; the leader's agent carries them out.
    return (
      <p className="small watch-plan">
        From the Raft log it knows of the failover {plan.from} → {plan.to} (epoch {plan.epoch}){plan.step === 'done' ? ', which is done' : '; the leader\u2019s agent carries it out'}.
      </p>
    );
  }
  const { step, words } = PLAN_WORDS[plan.step];
  const title = plan.step === 'done' ? 'Last failover' : 'Failover in progress';
  return (
    <p className="small watch-plan" data-plan-step={step}>
      <strong>
        {title}: {plan.from} → {plan.to} (epoch {plan.epoch}), step {step}
      </strong>{' '}
      — {words(plan.from, plan.to)}.
    </p>
  );
}

export function AgentWatchPanel({ node }: { node: NodeState }) {
  const watch = node.watch;
  if (!watch || !node.up) return null;
  return (
    <section className="agent-watch" aria-label={`Failover agent on ${node.id}`}>
      <h3>Failover agent</h3>
      <p className="small">{standing(node, watch)}</p>
      {watch.watching && <ChecksTable id={node.id} watch={watch} />}
      {watch.watching && <LeaseLine watch={watch} />}
      <PlanLine watch={watch} />
    </section>
  );
}

/** "watched by orch-2: 1 of 3 failed checks", for each agent that checks this database node now. */
export function WatchedBy({ id }: { id: string }) {
  const lines = useSim((s) =>
    s.nodeIds
      .map((o) => s.nodesById[o])
      .filter((o): o is NodeState => !!o && o.up && o.watch?.watching === true)
      .map((o) => {
        const w = o.watch!.nodes.find((n) => n.node === id);
        return w ? `${o.id}: ${w.failures} of ${o.watch!.threshold} failed checks` : null;
      })
      .filter((line): line is string => line !== null)
      .join('\n'),
  );
  const hasAgents = useSim((s) => s.nodeIds.some((o) => s.nodesById[o]?.watch !== undefined));
  if (!hasAgents) return null;
  if (lines === '') return <p className="small watched-by">No orchestrator is checking {id} right now.</p>;
  return (
    <ul className="small watched-by">
      {lines.split('\n').map((line) => (
        <li key={line}>Watched by {line}</li>
      ))}
    </ul>
  );
}
