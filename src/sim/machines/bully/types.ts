/**
 * The Bully algorithm's wire messages, what it keeps on disk, and its in-memory state.
 *
 * Every message carries the sender's newest known epoch, so that knowledge of the newest epoch
 * spreads with any traffic and an announcement never reuses an epoch its sender could have known.
 */
import type { Effect, NodeEvent, NodeId } from '../protocol';
import type { Settings } from '../../scenario/types';

export type BullyMessage =
  /** "I am calling an election": sent only to higher-ranked peers. */
  | { readonly type: 'Election'; readonly epoch: number }
  /** "I am alive and outrank you; I will take it from here." */
  | { readonly type: 'Answer'; readonly epoch: number }
  /** "I am the coordinator of `epoch`." */
  | { readonly type: 'Coordinator'; readonly epoch: number }
  /** The coordinator's periodic "still here". */
  | { readonly type: 'Heartbeat'; readonly epoch: number };

/** What survives a crash: the newest epoch seen or announced, so announcements never go backwards. */
export interface BullyDisk {
  readonly epoch: number;
}

/** The roles as the page and the report name them (coordinator = `leader`). */
export type BullyRole = 'leader' | 'candidate' | 'follower';

export interface BullyContext {
  readonly id: NodeId;
  /** The other orchestrators, in the order the kernel gave them; every loop keeps that order. */
  readonly peers: readonly NodeId[];
  readonly settings: Settings;
  readonly disk: BullyDisk;
  /** Whom this node takes to be the coordinator; itself when it coordinates, null while electing. */
  readonly coordinator: NodeId | null;
  /** The role last reported in a `role` trace; null only before the first one. */
  readonly role: BullyRole | null;
}

export type BullyEvent = NodeEvent<BullyMessage>;
export type BullyEffect = Effect<BullyMessage>;
export type BullyMessageEvent = Extract<BullyEvent, { type: 'message' }>;

/** The timers this machine arms; each name has one live instance at most. */
export const TIMER = {
  /** Follower: the coordinator has been silent too long. */
  election: 'election',
  /** Coordinator: time to send the next heartbeat. */
  heartbeat: 'heartbeat',
  /** Candidate: no higher-ranked peer answered our Election. */
  answer: 'answer',
  /** Candidate: a higher peer answered but never announced itself. */
  coordinator: 'coordinator',
  /** Just booted: done listening for the current epoch. */
  listen: 'listen',
} as const;
