/**
 * Presenter mode: on or off, kept across reloads. Entering asks for full screen where the
 * browser allows it (a key press or click is needed, so a reload comes back windowed, with a
 * button to go full screen again); leaving full screen by the browser's own Esc leaves the mode.
 */
import { create } from 'zustand';

const KEY = 'ha-playground:presenter:v1';

interface PresenterState {
  readonly on: boolean;
  /** The page is full screen because presenter mode asked for it. */
  readonly fullScreen: boolean;
}

function loadOn(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

function saveOn(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // Blocked storage: the mode lasts until the page is closed.
  }
}

export const usePresenter = create<PresenterState>(() => ({ on: loadOn(), fullScreen: false }));

function canFullScreen(): boolean {
  return typeof document.documentElement.requestFullscreen === 'function' && document.fullscreenEnabled !== false;
}

/** Asks for full screen; a refusal (an iframe without permission, a browser that says no) leaves the page as it is. */
export function requestFullScreen(): void {
  if (!canFullScreen() || document.fullscreenElement) return;
  document.documentElement.requestFullscreen().then(
    () => usePresenter.setState({ fullScreen: true }),
    () => usePresenter.setState({ fullScreen: false }),
  );
}

export function enterPresenter(): void {
  usePresenter.setState({ on: true });
  saveOn(true);
  requestFullScreen();
}

export function leavePresenter(): void {
  const wasFull = usePresenter.getState().fullScreen;
  usePresenter.setState({ on: false, fullScreen: false });
  saveOn(false);
  if (wasFull && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

export function togglePresenter(): void {
  if (usePresenter.getState().on) leavePresenter();
  else enterPresenter();
}

export function fullScreenOffered(): boolean {
  return canFullScreen();
}

addEventListener('fullscreenchange', () => {
  if (document.fullscreenElement) return;
  // The browser's own Esc (or F11) ended the full screen that presenter mode asked for: leave the mode too.
  if (usePresenter.getState().fullScreen) leavePresenter();
});
