/**
 * A node's election timer, drawn as RaftScope draws it: a ring around the card that drains as the
 * timer runs down and fills again when a heartbeat re-arms it. It is read off simulated time (the
 * timer's `fromMs` and `atMs` against the clock on screen), so it is exact when paused, stepped or
 * seeked. A leader arms none and shows none.
 */
import { memo } from 'react';
import type { NodeState } from '../../sim';
import { useSim } from '../store/sim-store';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/** How far outside the card the ring runs, in graph units. */
const GAP = 6;
/** The ring's corner radius per role, following the card's own shape (styles.css). */
const RADIUS: Record<string, number> = { follower: 46 + GAP, candidate: 18 + GAP };

/** The fraction of the timer left at `nowMs`: 1 just armed, 0 when it fires. */
export function timeLeftFraction(countdown: NonNullable<NodeState['countdown']>, nowMs: number): number {
  const span = countdown.atMs - countdown.fromMs;
  if (span <= 0) return 0;
  return Math.min(1, Math.max(0, (countdown.atMs - nowMs) / span));
}

function CountdownView({ countdown, role }: { countdown: NonNullable<NodeState['countdown']>; role: string }) {
  const nowMs = useSim((s) => s.nowMs);
  const left = timeLeftFraction(countdown, nowMs);
  const width = NODE_WIDTH + 2 * GAP;
  const height = NODE_HEIGHT + 2 * GAP;
  const leftMs = Math.max(0, countdown.atMs - nowMs);
  return (
    <svg
      className={`countdown${left < 0.25 ? ' is-low' : ''}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      data-countdown={left.toFixed(3)}
      data-countdown-at={countdown.atMs}
      aria-hidden="true"
    >
      <title>{`election timer: ${(leftMs / 1000).toFixed(2)} s left`}</title>
      <rect className="countdown-track" x={1.5} y={1.5} width={width - 3} height={height - 3} rx={RADIUS[role] ?? 6 + GAP} pathLength={100} />
      <rect
        className="countdown-left"
        x={1.5}
        y={1.5}
        width={width - 3}
        height={height - 3}
        rx={RADIUS[role] ?? 6 + GAP}
        pathLength={100}
        strokeDasharray={`${(left * 100).toFixed(2)} 100`}
      />
    </svg>
  );
}

export const Countdown = memo(CountdownView);
