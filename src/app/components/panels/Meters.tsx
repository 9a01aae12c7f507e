/**
 * The live meters: client requests through the load balancer (served, retried, failed), and the
 * database's client writes acknowledged, rejected and lost, the data lost so far (RPO, in writes
 * and in milliseconds of writing), the time without a primary, and who the primary is. Every figure is the simulation's own count (`Simulation.meters()`), never typed in.
 */
import type { ReactNode } from 'react';
import type { NodeState } from '../../../sim';
import { useSim } from '../../store/sim-store';

/**
 * Every running database node that accepts writes, newest epoch first: during a split brain there
 * are two, and the meter names both (the simulation's `primary` is only the one new writes go to).
 */
export function writablePrimaries(nodes: readonly NodeState[]): string[] {
  return nodes
    .filter((n) => n.kind === 'database' && n.up && n.service?.writable === true)
    .sort((a, b) => (b.service?.epoch ?? 0) - (a.service?.epoch ?? 0))
    .map((n) => n.id);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const count = new Intl.NumberFormat('en');

interface MeterProps {
  readonly name: string;
  readonly label: string;
  readonly value: ReactNode;
  readonly note?: ReactNode;
  readonly title?: string;
  readonly warn?: boolean;
}

function Meter({ name, label, value, note, title, warn = false }: MeterProps) {
  return (
    <div className={`meter${warn ? ' is-warning' : ''}`} data-meter={name} title={title}>
      <dt>{label}</dt>
      <dd>
        {warn && <span aria-hidden="true">⚠ </span>}
        <span className="meter-value">{value}</span>
        {note && <span className="meter-note"> {note}</span>}
      </dd>
    </div>
  );
}

/** Words that wrap as a whole: a node id (the meter read "db-2 and db-" over "1"), a duration ("2.55" over "s"). */
function Whole({ children }: { children: string }) {
  return <span className="meter-whole">{children}</span>;
}

function NodeName({ id, first }: { id: string; first: boolean }) {
  return (
    <>
      {first ? '' : ' and '}
      <Whole>{id}</Whole>
    </>
  );
}

export function Meters() {
  const meters = useSim((s) => s.meters);
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const hasServers = useSim((s) => s.info?.hasServers ?? false);
  // Joined to a string so the selector returns the same value while nothing changed.
  const primaryList = useSim((s) => writablePrimaries(s.nodeIds.map((id) => s.nodesById[id]!)).join(', '));
  if (!meters) return null;
  const { writes, rpo, unavailableMs, noPrimaryMs, requests } = meters;
  const primaries = primaryList === '' ? [] : primaryList.split(', ');
  const split = primaries.length > 1;
  return (
    <section className="meters" aria-label={hasDatabase ? 'Database meters' : 'Request meters'}>
      <dl>
        {hasServers && (
          <>
            <Meter name="served" label="Requests served" value={count.format(requests.served)} note={`of ${count.format(requests.attempted)}`} title="Client requests through the load balancer that got an answer" />
            <Meter name="retried" label="Retried" value={count.format(requests.retried)} title="Second attempts after a request failed (its server died with it, or timed out)" />
            <Meter name="failed" label="Failed requests" value={count.format(requests.failed)} warn={requests.failed > 0} title="Requests that failed even after the retry" />
          </>
        )}
        {hasDatabase && (
          <>
            <Meter
              name="primary"
              label={split ? 'Primaries' : 'Primary'}
              value={primaries.length > 0 ? primaries.map((id, i) => <NodeName key={id} id={id} first={i === 0} />) : 'none'}
              warn={primaries.length !== 1}
              note={primaries.length === 0 ? 'writes fail' : split ? `${primaries.length} take writes: split brain` : undefined}
              title="Every running database node that accepts writes"
            />
            <Meter name="acknowledged" label="Acknowledged" value={count.format(writes.acknowledged)} note={`of ${count.format(writes.attempted)}`} />
            <Meter name="rejected" label="Rejected" value={count.format(writes.rejected)} />
            <Meter name="lost" label="Lost writes" title="Writes the client was told succeeded, then gone from every node" value={count.format(writes.lost)} warn={writes.lost > 0} />
            <Meter name="rpo" label="RPO" title="Recovery point: the most data lost at once, in writes and in milliseconds of writing" value={`${count.format(rpo.lostWrites)} writes`} note={<Whole>{formatDuration(rpo.lostMs)}</Whole>} warn={rpo.lostWrites > 0} />
            <Meter name="unavailable" label="Writes failing for" title="Downtime as clients see it (the RTO): how long clients tried to write and none was acknowledged" value={<Whole>{formatDuration(unavailableMs)}</Whole>} />
            <Meter name="downtime" label="No primary for" title="How long no database node accepted writes" value={<Whole>{formatDuration(noPrimaryMs)}</Whole>} />
          </>
        )}
      </dl>
    </section>
  );
}
