/**
 * The embed's keyboard, while focus is inside it: the playground's playback keys and the selected
 * node's action keys, from the page's command registry. The page's other shortcuts (partition
 * tool, heal all, picking by number) open tools the embed does not show, so they stay off here.
 */
import { pageView, runKey, type PageCommandId } from '../actions/commands';
import { NODE_ACTIONS } from '../actions/node-actions';
import { useSim } from '../store/sim-store';

const EMBED_COMMANDS: readonly PageCommandId[] = ['play-pause', 'step', ...NODE_ACTIONS.map((action) => action.id), 'close'];

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function onEmbedKey(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  const state = useSim.getState();
  if (state.status !== 'running' || state.menu) return; // the open menu handles its own keys
  const onControl = event.target instanceof HTMLElement && (event.target.tagName === 'BUTTON' || event.target.tagName === 'A' || event.target.getAttribute('role') === 'button');
  if (event.key === ' ' && onControl) return;
  if (runKey(event.key, { ...pageView(), picking: false, presenting: false }, EMBED_COMMANDS)) event.preventDefault();
}
