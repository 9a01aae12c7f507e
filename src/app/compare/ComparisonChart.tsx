/**
 * Two bar charts of a comparison, in inline SVG like the write chart: writes lost per strategy
 * (the RPO), and time during which writes failed (the RTO) beside the time until a write was confirmed
 * again. Every bar carries its value in text, and each chart is described in words for readers
 * who do not see it; the table beside it holds the same figures.
 */
import { useId } from 'react';
import type { ComparisonRow } from '../../sim';
import { Hatch } from '../chart/Hatch';

// Each strategy's name sits above its bars, so the bars get the whole width and the text stays
// large enough to read on a phone.
const W = 320;
const VALUE_W = 78;
const BAR_W = W - VALUE_W - 2;
const LABEL_H = 15;
const BAR_H = 11;
const GAP = 7;

export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function Label({ y, text }: { y: number; text: string }) {
  return (
    <text x={0} y={y + LABEL_H - 4} className="cmp-bar-label">
      {text}
    </text>
  );
}

function Value({ x, y, text }: { x: number; y: number; text: string }) {
  return (
    <text x={x + 4} y={y + BAR_H / 2} className="cmp-bar-value" dominantBaseline="central">
      {text}
    </text>
  );
}

/** A bar's length: the largest value spans the width; anything above zero stays visible. */
function scaler(values: readonly number[]): (value: number) => number {
  const max = Math.max(1, ...values);
  return (value) => (value <= 0 ? 0 : Math.max(1.5, (value / max) * BAR_W));
}

function LostChart({ rows, descriptionId }: { rows: readonly ComparisonRow[]; descriptionId: string }) {
  const rowH = LABEL_H + BAR_H + GAP;
  const height = rows.length * rowH;
  const scale = scaler(rows.map((r) => r.rpoWrites));
  return (
    <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label="Bar chart: acknowledged writes lost per strategy" aria-describedby={descriptionId}>
      {rows.map((row, i) => {
        const y = i * rowH;
        const w = scale(row.rpoWrites);
        return (
          <g key={row.strategy}>
            <Label y={y} text={row.label} />
            <line x1={0} x2={0} y1={y + LABEL_H - 1} y2={y + LABEL_H + BAR_H + 1} className="cmp-axis" />
            {w > 0 && <rect x={0} y={y + LABEL_H} width={w} height={BAR_H} className="cmp-bar-lost" />}
            <Value x={w} y={y + LABEL_H} text={`${row.rpoWrites} ${row.rpoWrites === 1 ? 'write' : 'writes'}`} />
          </g>
        );
      })}
    </svg>
  );
}

function DowntimeChart({ rows, hatchId, descriptionId }: { rows: readonly ComparisonRow[]; hatchId: string; descriptionId: string }) {
  const rowH = LABEL_H + 2 * BAR_H + 2 + GAP;
  const height = rows.length * rowH;
  const scale = scaler(rows.flatMap((r) => [r.rtoMs, r.resumedAfterMs ?? 0]));
  return (
    <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label="Bar chart: seconds of failing writes, and until a write was confirmed again, per strategy" aria-describedby={descriptionId}>
      <Hatch id={hatchId} fill="#fde9c8" stroke="#b45309" strokeWidth={1.6} />
      {rows.map((row, i) => {
        const y = i * rowH;
        const rto = scale(row.rtoMs);
        // Never confirmed again: the bar runs off the end, and its value says so.
        const resumed = row.resumedAfterMs === null ? BAR_W : scale(row.resumedAfterMs);
        const second = y + LABEL_H + BAR_H + 2;
        return (
          <g key={row.strategy}>
            <Label y={y} text={row.label} />
            <line x1={0} x2={0} y1={y + LABEL_H - 1} y2={second + BAR_H + 1} className="cmp-axis" />
            {rto > 0 && <rect x={0} y={y + LABEL_H} width={rto} height={BAR_H} className="cmp-bar-down" />}
            <Value x={rto} y={y + LABEL_H} text={`${secondsText(row.rtoMs)}${row.recovered ? '' : '+'}`} />
            {resumed > 0 && <rect x={0} y={second} width={resumed} height={BAR_H} fill={`url(#${hatchId})`} className="cmp-bar-resumed" />}
            <Value x={resumed} y={second} text={row.resumedAfterMs === null ? 'never' : secondsText(row.resumedAfterMs)} />
          </g>
        );
      })}
    </svg>
  );
}

function lostInWords(rows: readonly ComparisonRow[]): string {
  return `Writes lost: ${rows.map((r) => `${r.label} ${r.rpoWrites}`).join('; ')}.`;
}

function downtimeInWords(rows: readonly ComparisonRow[]): string {
  const one = (r: ComparisonRow) =>
    `${r.label}: ${secondsText(r.rtoMs)} of failing writes, ${r.resumedAfterMs === null ? 'no write confirmed again' : `a write confirmed again after ${secondsText(r.resumedAfterMs)}`}`;
  return `${rows.map(one).join('; ')}.`;
}

export function ComparisonChart({ rows }: { rows: readonly ComparisonRow[] }) {
  const uid = useId().replace(/:/g, '');
  const hatchId = `cmp-hatch-${uid}`;
  return (
    <div className="cmp-charts">
      <figure className="cmp-chart">
        <figcaption className="cmp-chart-title">Writes lost (RPO)</figcaption>
        <LostChart rows={rows} descriptionId={`cmp-lost-${uid}`} />
        <p id={`cmp-lost-${uid}`} className="visually-hidden">
          {lostInWords(rows)}
        </p>
      </figure>
      <figure className="cmp-chart">
        <figcaption className="cmp-chart-title">Seconds after the disaster</figcaption>
        <DowntimeChart rows={rows} hatchId={hatchId} descriptionId={`cmp-down-${uid}`} />
        <ul className="cmp-legend">
          <li>
            <svg width="14" height="10" aria-hidden="true">
              <rect width="14" height="10" className="cmp-bar-down" />
            </svg>
            writes failing (RTO)
          </li>
          <li>
            <svg width="14" height="10" aria-hidden="true">
              <rect width="14" height="10" fill={`url(#${hatchId})`} className="cmp-bar-resumed" />
            </svg>
            until a write is confirmed again
          </li>
        </ul>
        <p id={`cmp-down-${uid}`} className="visually-hidden">
          {downtimeInWords(rows)}
        </p>
      </figure>
    </div>
  );
}
