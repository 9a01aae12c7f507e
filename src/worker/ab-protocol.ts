/**
 * The messages between the page's A/B view and its worker (ab.worker.ts), which holds the two
 * sessions of one comparison and the one clock that drives both. The page draws what it is sent.
 */
import type { AbSetup, FirstDifference } from '../sim';
import type { Frame, LoadedInfo } from './protocol';

export type ToAbWorker =
  /** Builds both runs from `base` (a scenario as JSON, validated here) with `setup` applied; opens paused at 0. */
  | { readonly type: 'load'; readonly base: unknown; readonly setup: AbSetup }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'seek'; readonly atMs: number }
  /** Simulated ms per wall ms while a message that is not routine traffic is on its way (both runs). */
  | { readonly type: 'setSpeed'; readonly speed: number }
  /** The page has drawn the last frames; the worker sends the next ones only after this. */
  | { readonly type: 'frameTaken' };

export type FromAbWorker =
  | {
      readonly type: 'loaded';
      readonly info: readonly [LoadedInfo, LoadedInfo];
      /** What each side is ("PreVote off", "PreVote on"). */
      readonly labels: readonly [string, string];
      /** Where the clock stops by itself: the scenario's duration. */
      readonly durationMs: number;
      /** `#s=…` of the base scenario, for a link when it is not a bundled one. */
      readonly baseHash: string;
    }
  /** Both runs at the same simulated time. */
  | { readonly type: 'frames'; readonly nowMs: number; readonly playing: boolean; readonly frames: readonly [Frame, Frame] }
  /** The search for the first difference is over: the difference, or null when the runs agree up to `searchedMs`. */
  | { readonly type: 'difference'; readonly difference: FirstDifference | null; readonly searchedMs: number }
  /** The setup or the base scenario could not be used; `message` says why in words. */
  | { readonly type: 'load-error'; readonly message: string }
  | { readonly type: 'crashed'; readonly message: string };
