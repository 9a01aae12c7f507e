/**
 * The words editors show beside the fields of a scenario file: in public/scenario.schema.json and
 * in the page's scenario editor. Each is found by the key schema.ts gives the field it describes.
 * They live apart from the schema so that the worker, which validates scenarios but never
 * publishes the schema, does not download them.
 */
import { ANY_NODE } from './types';

export const SCHEMA_DOCS = {
  'settings.fencing': 'Fence (STONITH) the old primary before promoting.',
  'settings.quorum': "A failover needs a majority's agreement.",
  'settings.preVote': 'Raft PreVote: a candidate first asks whether it could win.',
  'settings.checkQuorum': 'Raft CheckQuorum: a leader that has not heard from a majority for an election timeout steps down.',
  'settings.raftSnapshotEvery': 'Each Raft orchestrator compacts its log into a snapshot once this many applied entries follow its last one; a follower missing compacted entries is sent the snapshot (InstallSnapshot).',
  'settings.lossRate': 'Probability that any one message is lost (0 … 1).',
  'settings.walKeepBytes': 'Bytes of newest WAL a primary keeps for standbys; a standby further behind is rebuilt from a base backup.',
  'settings.leaseMs': 'With quorum on, a primary not renewed by the orchestrators (or witness) for this long stops taking writes.',
  'settings.baseBackupBytesPerSec': 'How fast a base backup copies the data to a standby being rebuilt.',
  'settings.diskFlushMs': 'How long a database flush to disk takes; 0: at once.',
  'settings.synchronousModeStrict': 'Synchronous replication with no synchronous standby: false (Patroni\'s default) keeps taking writes with durability degraded; true refuses writes until a synchronous standby is back.',
  'settings.serviceMs': 'How long an API server works on one request.',
  'settings.requestTimeoutMs': 'How long the load balancer waits for a server before it fails the request.',
  'settings.provisionMs': 'How long the cloud takes to start a replacement API server, orchestrator or database node.',
  'settings.replaceDatabaseAfterMs': 'With Raft orchestrators, a database node down this long is replaced by a new node (one whose disk is lost, at once).',
  'database.standbys': 'db-2, db-3, … in this order.',
  'backups.offsite': 'Also keep a copy in the DR region.',
  'topology.database': 'null: no database in this scenario.',
  'topology.backups': 'null: no backups.',
  'topology.regions': 'Display names of the two data centres.',
  'workload.requestsPerSec': 'Read requests per second through the load balancer to the API servers.',
  'event.region': '"primary", "dr", or a region name.',
  'event.slow-link.latencyMs': 'A fixed latency, or [min, max].',
  'event.switchover.node': 'The standby to hand the primary role to: the primary stops taking writes, the standby catches up, then it is promoted.',
  'event.restore-backup.from': 'A backup-<region> node.',
  'figureCheck.figure': 'A number in the report, e.g. writes.lost or rto.unavailableMs.',
  'invariantCheck.invariant': 'A safety check of the report, e.g. single-writer.',
  'challenge.goal': 'The goal in words; plain text.',
  'challenge.editable': 'What a learner may change to reach the goal; the rest must stay as written.',
  'claim.after': 'Checked only once the step has been current this long (simulated ms).',
  'claim.node': `A node id, a selector, or "${ANY_NODE}" (whichever).`,
  'claim.invariant': 'A safety check, e.g. single-writer.',
  'choice.label': 'The answer as the learner reads it.',
  'choice.claims': 'What holds on the run if this answer is right, checked at the reveal.',
  'choice.why': 'Why, said at the reveal when this answer held.',
  'question.prompt': 'The question; the run waits for a pick.',
  'question.revealAfterMs': 'Reveal this long (simulated ms) after the pick; without it, when the next step becomes current.',
  'lessonStep.text': 'What to do or watch now; a markdown subset, sanitized; {leader}, {primary}, {term}, … name live values.',
  'lessonStep.node': 'The node this step points at (an id or a selector).',
  'lessonStep.action': 'The action that completes this step when the learner performs it (on `node`, if given).',
  'lessonStep.atMs': 'The step becomes current when the run reaches this time.',
  'lessonStep.claims': 'Facts about the run that hold while this step is current, checked on the moment on screen.',
  'lessonStep.question': 'Predict, then reveal: a question with choices asked when the step becomes current.',
  'scenario.$schema': 'Where editors find this schema; ignored by the playground.',
  'scenario.title': 'Plain text, never rendered as HTML.',
  'scenario.description': 'What to watch; a markdown subset, sanitized.',
  'scenario.seed': 'Same scenario and seed: the same run.',
  'scenario.durationMs': 'How long `npm run sim` runs it.',
  'scenario.events': 'The fault script, in time order.',
  'scenario.steps': "A lesson's narrative: what to do or watch, one step at a time.",
  'scenario.challenge': 'A goal checked against the report of the run (npm run sim -- FILE --grade).',
  'scenario.lessonSummary': 'What the learner saw, shown when the last step is reached; a markdown subset.',
} as const;

export type DocKey = keyof typeof SCHEMA_DOCS;
