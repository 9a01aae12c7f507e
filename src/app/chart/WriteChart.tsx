/**
 * A small chart over simulated time: writes acknowledged and rejected per second (bars, the
 * rejected ones hatched as well as red) and each standby's replication lag (lines with their own
 * dash pattern). Inline SVG that scales to its box; the same facts are told in words below it.
 * Built from the samples the worker takes each simulated second, so it follows every seek.
 */
import { useId } from 'react';
import { useSim } from '../store/sim-store';
import { formatClock } from '../failover/words';
import { Hatch } from './Hatch';
import { buckets, chartSummary, standbysIn, type Bucket } from './series';

const W = 320;
const LEFT = 34;
const RIGHT = 6;
const WRITES = { top: 20, height: 62 };
const LAG = { top: 112, height: 52 };
const AXIS_Y = 180;
const PLOT_W = W - LEFT - RIGHT;

/** Line looks per standby: colour and dash, so two lines differ without colour. */
const LINE_LOOKS = [
  { stroke: '#2c5aa0', dash: '' },
  { stroke: '#b45309', dash: '6 3' },
  { stroke: '#7c3aed', dash: '2 3' },
  { stroke: '#0e7490', dash: '8 3 2 3' },
];

/** A short axis label for a round number of bytes: "400 B", "5 kB", "2 MB". */
function tickBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${bytes / 1000} kB`;
  return `${bytes / 1_000_000} MB`;
}

function niceMax(value: number, floor: number): number {
  const v = Math.max(value, floor);
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

function Bars({ data, hatchId }: { data: readonly Bucket[]; hatchId: string }) {
  const max = niceMax(Math.max(0, ...data.map((b) => b.acknowledged + b.rejected)), 1);
  const slot = PLOT_W / Math.max(data.length, 1);
  const bottom = WRITES.top + WRITES.height;
  const scale = (n: number) => (n / max) * WRITES.height;
  return (
    <g>
      <text x={LEFT - 4} y={WRITES.top + 4} className="chart-tick" textAnchor="end">
        {max}/s
      </text>
      <text x={LEFT - 4} y={bottom} className="chart-tick" textAnchor="end">
        0
      </text>
      <line x1={LEFT} x2={W - RIGHT} y1={bottom} y2={bottom} className="chart-axis" />
      {data.map((b, i) => {
        const x = LEFT + i * slot + slot * 0.1;
        const w = Math.max(slot * 0.8, 0.8);
        const ack = scale(b.acknowledged);
        const rej = scale(b.rejected);
        return (
          <g key={b.toMs}>
            {ack > 0 && <rect x={x} y={bottom - ack} width={w} height={ack} className="chart-ack" />}
            {rej > 0 && <rect x={x} y={bottom - ack - rej} width={w} height={rej} fill={`url(#${hatchId})`} className="chart-rejected" />}
          </g>
        );
      })}
    </g>
  );
}

/** Line segments for one standby; a gap where no primary streamed to it. */
function segments(data: readonly Bucket[], id: string, y: (bytes: number) => number): string[] {
  const slot = PLOT_W / Math.max(data.length, 1);
  const out: string[] = [];
  let current: string[] = [];
  data.forEach((b, i) => {
    const bytes = b.lagBytes[id];
    if (bytes === undefined) {
      if (current.length > 0) out.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${(LEFT + (i + 0.5) * slot).toFixed(1)},${y(bytes).toFixed(1)}`);
  });
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

function LagLines({ data, standbys }: { data: readonly Bucket[]; standbys: readonly string[] }) {
  const max = niceMax(Math.max(0, ...data.flatMap((b) => Object.values(b.lagBytes))), 100);
  const bottom = LAG.top + LAG.height;
  const y = (bytes: number) => bottom - (bytes / max) * LAG.height;
  return (
    <g>
      <text x={LEFT - 4} y={LAG.top + 4} className="chart-tick" textAnchor="end">
        {tickBytes(max)}
      </text>
      <text x={LEFT - 4} y={bottom} className="chart-tick" textAnchor="end">
        0
      </text>
      <line x1={LEFT} x2={W - RIGHT} y1={bottom} y2={bottom} className="chart-axis" />
      {standbys.map((id, i) => {
        const look = LINE_LOOKS[i % LINE_LOOKS.length]!;
        return segments(data, id, y).map((points) =>
          points.includes(' ') ? (
            <polyline key={`${id}-${points}`} points={points} fill="none" stroke={look.stroke} strokeWidth={2} strokeDasharray={look.dash} />
          ) : (
            <circle key={`${id}-${points}`} cx={points.split(',')[0]} cy={points.split(',')[1]} r={2} fill={look.stroke} />
          ),
        );
      })}
    </g>
  );
}

function Legend({ standbys, hatchId }: { standbys: readonly string[]; hatchId: string }) {
  return (
    <ul className="chart-legend">
      <li>
        <svg width="14" height="10" aria-hidden="true">
          <rect width="14" height="10" className="chart-ack" />
        </svg>
        acknowledged
      </li>
      <li>
        <svg width="14" height="10" aria-hidden="true">
          <rect width="14" height="10" fill={`url(#${hatchId})`} />
        </svg>
        rejected
      </li>
      {standbys.map((id, i) => {
        const look = LINE_LOOKS[i % LINE_LOOKS.length]!;
        return (
          <li key={id}>
            <svg width="22" height="10" aria-hidden="true">
              <line x1="0" x2="22" y1="5" y2="5" stroke={look.stroke} strokeWidth="2" strokeDasharray={look.dash} />
            </svg>
            {id} lag
          </li>
        );
      })}
    </ul>
  );
}

export function WriteChart() {
  const samples = useSim((s) => s.chart);
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const uid = useId().replace(/:/g, '');
  if (!hasDatabase) return null;
  const data = buckets(samples);
  const standbys = standbysIn(samples);
  const hatchId = `rejected-hatch-${uid}`;
  const summaryId = `chart-summary-${uid}`;
  const endMs = samples[samples.length - 1]?.atMs ?? 0;
  return (
    <details className="panel chart-panel" open>
      <summary>Writes and replication lag</summary>
      <figure className="write-chart">
        <svg viewBox={`0 0 ${W} ${AXIS_Y + 6}`} role="img" aria-label="Chart of writes per second and replication lag over simulated time" aria-describedby={summaryId}>
          <Hatch id={hatchId} fill="#f6c9c3" stroke="#b42318" strokeWidth={2} />
          <text x={LEFT} y={12} className="chart-label">
            Writes per second
          </text>
          <Bars data={data} hatchId={hatchId} />
          <text x={LEFT} y={LAG.top - 8} className="chart-label">
            Replication lag (bytes behind the primary)
          </text>
          <LagLines data={data} standbys={standbys} />
          <text x={LEFT} y={AXIS_Y} className="chart-tick">
            {formatClock(data[0]?.fromMs ?? 0)}
          </text>
          <text x={W - RIGHT} y={AXIS_Y} className="chart-tick" textAnchor="end">
            {formatClock(endMs)}
          </text>
        </svg>
        <Legend standbys={standbys} hatchId={hatchId} />
        <figcaption id={summaryId} className="chart-summary small" data-testid="chart-summary">
          {chartSummary(samples)}
        </figcaption>
      </figure>
    </details>
  );
}
