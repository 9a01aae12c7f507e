/**
 * Play, Pause, Step, the previous / next event buttons, the Speed control (log scale) with the
 * clock's measured rate, the Time slider and the simulated clock; and the skip button that takes
 * keyboard users straight here from the top of the page.
 */
import type { KeyboardEvent } from 'react';
import { formatMs } from '../../../sim';
import { pageCommand, titleOf } from '../../actions/commands';
import { commands } from '../../store/engine';
import { useSim } from '../../store/sim-store';
import { formatSpeed, speedLabel } from './speed-label';
import './controls.css';

export { formatSpeed } from './speed-label';

export const SPEED_MIN = 0.01;
export const SPEED_MAX = 1000;
const LOG_MIN = Math.log10(SPEED_MIN);
const LOG_MAX = Math.log10(SPEED_MAX);
/** The Time slider's arrow keys move this far; with Shift, `TIME_KEY_SHIFT_MS`. */
export const TIME_KEY_MS = 100;
export const TIME_KEY_SHIFT_MS = 1000;
const PLAY_BUTTON_ID = 'play-button';

/** ←/→ move the shown moment by 100 ms, Shift+←/→ by a second (the slider's own 1 ms steps are too fine to use). */
function onTimeKey(event: KeyboardEvent<HTMLInputElement>): void {
  const direction = event.key === 'ArrowRight' || event.key === 'ArrowUp' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowDown' ? -1 : 0;
  if (direction === 0) return;
  event.preventDefault();
  event.stopPropagation();
  const by = event.shiftKey ? TIME_KEY_SHIFT_MS : TIME_KEY_MS;
  commands.seek(Math.max(0, Math.floor(useSim.getState().nowMs) + direction * by));
}

/** The first stop of the Tab order: one press of Enter puts the focus on Play. */
export function SkipToPlayback() {
  return (
    <button type="button" className="skip-link" onClick={() => document.getElementById(PLAY_BUTTON_ID)?.focus()}>
      Skip to the time controls
    </button>
  );
}

export function PlaybackBar() {
  const playing = useSim((s) => s.playing);
  const nowMs = useSim((s) => s.nowMs);
  const horizonMs = useSim((s) => s.horizonMs);
  const speed = useSim((s) => s.speed);
  const rate = useSim((s) => s.rate);
  const skipQuiet = useSim((s) => s.skipQuiet);
  const ready = useSim((s) => s.status === 'running');
  const label = speedLabel(speed, rate);
  return (
    <section className="playback" aria-label="Playback">
      <div className="playback-buttons">
        <button type="button" id={PLAY_BUTTON_ID} data-play-toggle="" className={ready && !playing && nowMs === 0 ? 'is-inviting' : undefined} onClick={commands.play} aria-pressed={playing} disabled={!ready} title={titleOf('play')}>
          <span aria-hidden="true">▶ </span>{pageCommand('play').label}
        </button>
        <button type="button" data-play-toggle="" onClick={commands.pause} aria-pressed={!playing} disabled={!ready} title={titleOf('pause')}>
          <span aria-hidden="true">❚❚ </span>{pageCommand('pause').label}
        </button>
        <button type="button" onClick={commands.step} disabled={!ready} title={titleOf('step')}>
          <span aria-hidden="true">▶❚ </span>{pageCommand('step').label}
        </button>
        <button type="button" onClick={commands.previousEvent} disabled={!ready} aria-label={pageCommand('previous-event').label} title={titleOf('previous-event')}>
          <span aria-hidden="true">|◀</span>
        </button>
        <button type="button" onClick={commands.nextEvent} disabled={!ready} aria-label={pageCommand('next-event').label} title={titleOf('next-event')}>
          <span aria-hidden="true">▶|</span>
        </button>
      </div>
      <output className="clock" aria-label="Simulated time">
        {formatMs(Math.floor(nowMs))}
      </output>
      <label className="time-control" title="← / → 100 ms, Shift+← / → 1 s">
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
          onKeyDown={onTimeKey}
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
        <span className="speed-value" data-speed-label="" title={`Measured rate of the clock; the slider asks for ${formatSpeed(speed)}`}>
          {label}
        </span>
      </label>
      <label className="skip-quiet" title="While only routine traffic is on the wire, the clock runs at least at 1×">
        <input type="checkbox" checked={skipQuiet} onChange={(e) => commands.setSkipQuiet(e.currentTarget.checked)} />
        Hurry through quiet time
      </label>
    </section>
  );
}
