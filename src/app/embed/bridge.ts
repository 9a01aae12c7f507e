/**
 * The embed's side of the conversation with the page around it (described in the README, "Embed a scenario in a page"). Out:
 * `ready` once the first scenario is open (or could not be), `resize` whenever the embed's own
 * height changes, `event` for each notable event as it happens. In: `load`, `play`, `pause`,
 * `seek`, read by `readIncoming` and otherwise ignored. Commands that arrive before `ready` wait
 * for it, so that a page that speaks early is not overtaken by the scenario in the address.
 *
 * Any page may embed us, so `event.origin` decides nothing and replies go to `'*'`: what we send
 * (a height, the log's words) is what the reader sees anyway.
 */
import { commands, openScenarioValue } from '../store/engine';
import { useSim, type SimState } from '../store/sim-store';
import { event, loadError, readIncoming, ready, resize, type Incoming, type Outgoing } from './messages';

/** Commands kept while the embed is not ready yet; a page that sends more is not waited for. */
const EARLY_COMMANDS_KEPT = 16;

export interface BridgeOptions {
  /** The element whose height the embedding page should give the iframe. */
  readonly root: HTMLElement;
  /** Told when a scenario sent by the page has replaced the one on screen (a refused one replaces nothing). */
  readonly onLoadedByMessage: () => void;
}

function postToParent(message: Outgoing): void {
  if (window.parent === window) return; // opened on its own, not in a frame
  window.parent.postMessage(message, '*');
}

function perform(command: Incoming): void {
  switch (command.type) {
    case 'play':
      return commands.play();
    case 'pause':
      return commands.pause();
    case 'seek':
      // The slider's own bound: a seek to a year from now would keep the worker simulating for minutes.
      return commands.seek(Math.min(command.atMs, Math.ceil(useSim.getState().horizonMs)));
    case 'load':
      return openScenarioValue(command.scenario, 'the page that embeds this playground');
  }
}

/** The notable lines that arrived since `seenSeq` in a log that grew (not one that started over). */
function newNotable(log: SimState['log'], seenSeq: number): SimState['log'] {
  return log.filter((line) => line.seq > seenSeq && line.notable);
}

/** Starts listening and telling; returns the function that stops both. */
export function startBridge(options: BridgeOptions): () => void {
  let isReady = false;
  let early: Incoming[] = [];
  let seenSeq = useSim.getState().log.at(-1)?.seq ?? 0;
  let postedHeight = -1;
  /** Scenarios sent by the page that the worker has neither opened nor refused yet. */
  let loadsPending = 0;

  const handle = (command: Incoming) => {
    if (command.type === 'load') loadsPending++;
    perform(command);
  };

  const onMessage = (message: MessageEvent) => {
    const command = readIncoming(message.data);
    if (!command) return;
    if (isReady) handle(command);
    else if (early.length < EARLY_COMMANDS_KEPT) early.push(command);
  };

  const becomeReady = (state: SimState) => {
    if (isReady || state.status === 'starting') return;
    isReady = true;
    postToParent(ready());
    for (const command of early) handle(command);
    early = [];
  };

  const unsubscribe = useSim.subscribe((state, previous) => {
    becomeReady(state);
    if (state.log !== previous.log) {
      if (state.logResets === previous.logResets) for (const line of newNotable(state.log, seenSeq)) postToParent(event(line.atMs, line.text, line.kind));
      seenSeq = state.log.at(-1)?.seq ?? seenSeq;
    }
    if (state.info !== previous.info && state.info !== null && loadsPending > 0) {
      loadsPending--;
      options.onLoadedByMessage();
    }
    // A scenario the page sent was refused: the page is told why, and a run on screen goes on without a word to the reader.
    if (state.loadError && state.loadError !== previous.loadError && loadsPending > 0) {
      loadsPending--;
      postToParent(loadError(state.loadError));
      if (state.status === 'running') useSim.setState({ loadError: null });
    }
  });

  const observer = new ResizeObserver(() => {
    const height = Math.ceil(options.root.getBoundingClientRect().height);
    if (height === postedHeight) return;
    postedHeight = height;
    postToParent(resize(height));
  });
  observer.observe(options.root);
  addEventListener('message', onMessage);
  // The first scenario may have opened before this page's code arrived, and a paused run sends no more frames.
  becomeReady(useSim.getState());
  return () => {
    removeEventListener('message', onMessage);
    observer.disconnect();
    unsubscribe();
  };
}
