/** Play, Pause, Step, the Speed control (log scale), the Time slider and the simulated clock. */
import { formatMs } from '../../sim/trace/describe';
import { commands } from '../store/engine';
import { useSim } from '../store/sim-store';

export const SPEED_MIN = 0.01;
export const SPEED_MAX = 1000;
const LOG_MIN = Math.log10(SPEED_MIN);
const LOG_MAX = Math.log10(SPEED_MAX);

export function formatSpeed(speed: number): string {
  const digits = speed < 0.1 ? 2 : speed < 10 ? 1 : 0;
  return `${speed.toFixed(digits)}×`;
}

export function PlaybackBar() {
  const playing = useSim((s) => s.playing);
  const nowMs = useSim((s) => s.nowMs);
  const horizonMs = useSim((s) => s.horizonMs);
  const speed = useSim((s) => s.speed);
  const skipQuiet = useSim((s) => s.skipQuiet);
  const ready = useSim((s) => s.status === 'running');
  return (
    <section className="playback" aria-label="Playback">
      <div className="playback-buttons">
        <button type="button" onClick={commands.play} aria-pressed={playing} disabled={!ready} title="Play (Space)">
          <span aria-hidden="true">▶ </span>Play
        </button>
        <button type="button" onClick={commands.pause} aria-pressed={!playing} disabled={!ready} title="Pause (Space)">
          <span aria-hidden="true">❚❚ </span>Pause
        </button>
        <button type="button" onClick={commands.step} disabled={!ready} title="Step to the next event (.)">
          <span aria-hidden="true">▶❚ </span>Step
        </button>
      </div>
      <output className="clock" aria-label="Simulated time">
        {formatMs(Math.floor(nowMs))}
      </output>
      <label className="time-control">
        <span className="visually-hidden">Time</span>
        <input
          type="range"
          aria-label="Time"
          min={0}
          max={Math.ceil(horizonMs)}
          step={1}
          value={Math.floor(nowMs)}
          aria-valuetext={formatMs(Math.floor(nowMs))}
          disabled={!ready}
          onChange={(e) => commands.seek(Number(e.currentTarget.value))}
        />
      </label>
      <label className="speed-control">
        <span>Speed</span>
        <input
          type="range"
          aria-label="Speed"
          min={LOG_MIN}
          max={LOG_MAX}
          step={0.05}
          value={Math.log10(speed)}
          aria-valuetext={formatSpeed(speed)}
          onChange={(e) => commands.setSpeed(Number((10 ** Number(e.currentTarget.value)).toPrecision(2)))}
        />
        <span className="speed-value">{formatSpeed(speed)}</span>
      </label>
      <label className="skip-quiet" title="While nothing is on the wire, the clock runs at least at 1×">
        <input type="checkbox" checked={skipQuiet} onChange={(e) => commands.setSkipQuiet(e.currentTarget.checked)} />
        Hurry through quiet time
      </label>
    </section>
  );
}
