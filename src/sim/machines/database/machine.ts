/**
 * The database node as an XState machine: one state per role (primary, standby, demoted,
 * rebuilding). Which messages a role listens to is written here (in witness mode a primary also
 * hears the witness, a standby its primary's health replies, the witness and the fence, and a former primary the witness); what
 * a message does is a step of logic.ts. A step may change `context.role`, and every state then moves to the state of
 * that name, announcing it with a `role` trace on entry. Each action carries out a step as an
 * `act` (`stepAction` in step.ts); the machine performs nothing itself.
 */
import { assign, setup, type ParameterizedObject } from 'xstate';
import type { NodeEvent } from '../protocol';
import { nodeMachineTypes } from '../program';
import { isMessage, isTimer, stepAction } from '../step';
import * as db from './logic';
import type { DatabaseContext, DatabaseDisk, DatabaseMessage, DatabaseRole } from './types';

type DatabaseEvent = NodeEvent<DatabaseMessage>;
type MessageOf<T extends DatabaseMessage['type']> = Extract<DatabaseMessage, { type: T }>;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act<P extends ParameterizedObject['params'] | undefined = undefined>(rule: (context: DatabaseContext, event: DatabaseEvent, params: P) => db.Step | null) {
  return stepAction<DatabaseContext, DatabaseEvent, P, DatabaseMessage>(rule);
}

/** An action taking a step on a message of one type, and ignoring any other event. */
function onMessage<T extends DatabaseMessage['type']>(type: T, step: (ctx: DatabaseContext, from: string, msg: MessageOf<T>) => db.Step) {
  return act((context, event) => (isMessage(event, type) ? step(context, event.from, event.msg) : null));
}

const ROLES: readonly DatabaseRole[] = ['primary', 'standby', 'demoted', 'rebuilding'];

export const databaseMachine = setup({
  types: nodeMachineTypes<DatabaseContext, DatabaseMessage, DatabaseDisk>(),
  guards: {
    roleIs: ({ context }, params: { role: DatabaseRole }) => context.role === params.role,
    isWalData: ({ event }) => isMessage(event, 'WalData'),
    isWalAck: ({ event }) => isMessage(event, 'WalAck'),
    isWalGone: ({ event }) => isMessage(event, 'WalGone'),
    isStreamStart: ({ event }) => isMessage(event, 'StreamStart'),
    isPromote: ({ event }) => isMessage(event, 'Promote'),
    isDrain: ({ event }) => isMessage(event, 'Drain'),
    isDemote: ({ event }) => isMessage(event, 'Demote'),
    isHealthCheck: ({ event }) => isMessage(event, 'HealthCheck'),
    isHealthReply: ({ event }) => isMessage(event, 'HealthReply'),
    isWitnessReply: ({ event }) => isMessage(event, 'WitnessReply'),
    /** A standby's StreamStart or WalAck of a newer epoch: it serves somebody newer than this primary. */
    isNewerEpochFromStandby: ({ context, event }) =>
      (isMessage(event, 'StreamStart') || isMessage(event, 'WalAck')) && db.carriesNewerEpoch(context, event.msg),
    isSenderTimer: ({ event }) => isTimer(event, db.TIMER.sender),
    isReceiverTimer: ({ event }) => isTimer(event, db.TIMER.receiver),
    isFlushTimer: ({ event }) => isTimer(event, db.TIMER.flush),
    isLeaseTimer: ({ event }) => isTimer(event, db.TIMER.lease),
    isBaseBackupTimer: ({ event }) => isTimer(event, db.TIMER.baseBackup),
    isBackupTimer: ({ event }) => isTimer(event, db.TIMER.backup),
    isBackupShipTimer: ({ event }) => event.type === 'timer' && event.name.startsWith(db.TIMER.backupShip),
    isWitnessRenewTimer: ({ event }) => isTimer(event, db.TIMER.witnessRenew),
    isWitnessWaitTimer: ({ event }) => isTimer(event, db.TIMER.witnessWait),
    isPeerCheckTimer: ({ event }) => isTimer(event, db.TIMER.peerCheck),
    isPeerWaitTimer: ({ event }) => isTimer(event, db.TIMER.peerWait),
    isHandoverTimer: ({ event }) => isTimer(event, db.TIMER.handover),
  },
  actions: {
    boot: act((context) => db.boot(context)),
    reportRole: act<{ role: DatabaseRole }>((context, _event, params) => db.reportRole(context, params.role)),
    acceptWrite: act((context, event) => (event.type === 'write' ? db.acceptWrite(context, event.id) : null)),
    refuseWrite: act((context, event) => (event.type === 'write' ? db.refuseWrite(context, event.id) : null)),
    byOperator: act((context, event) => {
      if (event.type !== 'operator') return null;
      return event.action === 'switchover' ? db.switchoverByOperator(context, event.to, event.epoch) : db.promoteByOperator(context, event.epoch);
    }),
    handoverTimer: act((context) => db.handoverTimer(context)),
    drain: onMessage('Drain', (ctx, _from, msg) => db.drainReceived(ctx, msg)),
    receiveWal: onMessage('WalData', db.receiveWal),
    handleAck: onMessage('WalAck', db.handleAck),
    walGone: onMessage('WalGone', db.walGoneReceived),
    answerStreamStart: onMessage('StreamStart', db.answerStreamStart),
    redirectStreamStart: onMessage('StreamStart', db.redirectStreamStart),
    promote: onMessage('Promote', (ctx, _from, msg) => db.promoteByMessage(ctx, msg)),
    demote: onMessage('Demote', (ctx, _from, msg) => db.demoteReceived(ctx, msg)),
    answerHealthCheck: onMessage('HealthCheck', db.answerHealthCheck),
    learnNewerEpoch: act((context, event) => (event.type === 'message' && 'epoch' in event.msg ? db.learnNewerEpoch(context, event.from, event.msg.epoch) : null)),
    senderTick: act((context) => db.senderTick(context)),
    flushPrimary: act((context) => db.flushPrimary(context)),
    flushStandby: act((context) => db.flushStandby(context)),
    leaseExpired: act((context) => db.leaseExpired(context)),
    receiverTimeout: act((context) => db.receiverTimeout(context)),
    baseBackupCopied: act((context) => db.baseBackupCopied(context)),
    backupTick: act((context) => db.backupTick(context)),
    shipBackup: act((context, event) => (event.type === 'timer' ? db.shipBackup(context, event.name) : null)),
    renewTick: act((context) => db.renewTick(context)),
    witnessReplied: onMessage('WitnessReply', db.witnessReplied),
    witnessTimedOut: act((context) => db.witnessTimedOut(context)),
    peerCheckTick: act((context) => db.peerCheckTick(context)),
    peerCheckTimedOut: act((context) => db.peerCheckTimedOut(context)),
    peerReplied: onMessage('HealthReply', db.peerReplied),
    fenceResult: act((context, event) => (event.type === 'fence-result' ? db.fenceResult(context, event.node, event.ok, event.reason) : null)),
    forgetBootFlag: assign({ freshBoot: false }),
  },
}).createMachine({
  id: 'database',
  context: ({ input }) => db.initialContext(input),
  initial: 'boot',
  states: {
    boot: {
      entry: 'boot',
      exit: 'forgetBootFlag',
      always: followRole(),
    },
    primary: {
      entry: role('primary'),
      always: followRole('primary'),
      on: {
        write: { actions: 'acceptWrite' },
        operator: { actions: 'byOperator' },
        message: [
          { guard: 'isNewerEpochFromStandby', actions: 'learnNewerEpoch' },
          { guard: 'isStreamStart', actions: 'answerStreamStart' },
          { guard: 'isWalAck', actions: 'handleAck' },
          { guard: 'isWitnessReply', actions: 'witnessReplied' },
          { guard: 'isDrain', actions: 'drain' },
          ...commands(),
        ],
        timer: [
          { guard: 'isSenderTimer', actions: 'senderTick' },
          { guard: 'isFlushTimer', actions: 'flushPrimary' },
          { guard: 'isLeaseTimer', actions: 'leaseExpired' },
          { guard: 'isBackupTimer', actions: 'backupTick' },
          { guard: 'isBackupShipTimer', actions: 'shipBackup' },
          { guard: 'isWitnessRenewTimer', actions: 'renewTick' },
          { guard: 'isWitnessWaitTimer', actions: 'witnessTimedOut' },
          { guard: 'isHandoverTimer', actions: 'handoverTimer' },
        ],
      },
    },
    standby: {
      entry: role('standby'),
      always: followRole('standby'),
      on: {
        write: { actions: 'refuseWrite' },
        operator: { actions: 'byOperator' },
        message: [
          { guard: 'isWalGone', actions: 'walGone' },
          { guard: 'isStreamStart', actions: 'redirectStreamStart' },
          { guard: 'isHealthReply', actions: 'peerReplied' },
          { guard: 'isWitnessReply', actions: 'witnessReplied' },
          ...commands(),
        ],
        timer: [
          { guard: 'isReceiverTimer', actions: 'receiverTimeout' },
          { guard: 'isFlushTimer', actions: 'flushStandby' },
          ...watching(),
          { guard: 'isWitnessWaitTimer', actions: 'witnessTimedOut' },
        ],
        'fence-result': { actions: 'fenceResult' },
      },
    },
    demoted: {
      entry: role('demoted'),
      always: followRole('demoted'),
      on: {
        write: { actions: 'refuseWrite' },
        operator: { actions: 'byOperator' },
        message: [{ guard: 'isWitnessReply', actions: 'witnessReplied' }, { guard: 'isHealthReply', actions: 'peerReplied' }, ...commands()],
        timer: [...watching(), { guard: 'isWitnessWaitTimer', actions: 'witnessTimedOut' }, { guard: 'isHandoverTimer', actions: 'handoverTimer' }],
      },
    },
    rebuilding: {
      entry: role('rebuilding'),
      always: followRole('rebuilding'),
      on: {
        write: { actions: 'refuseWrite' },
        operator: { actions: 'byOperator' },
        message: [{ guard: 'isWalGone', actions: 'walGone' }, { guard: 'isStreamStart', actions: 'redirectStreamStart' }, ...commands()],
        timer: [
          { guard: 'isBaseBackupTimer', actions: 'baseBackupCopied' },
          { guard: 'isReceiverTimer', actions: 'receiverTimeout' },
          ...watching(),
        ],
      },
    },
  },
});

export type DatabaseMachine = typeof databaseMachine;

/** Moves to the state named by `context.role` whenever a step changed it. */
function followRole(current?: DatabaseRole) {
  return ROLES.filter((other) => other !== current).map((other) => ({ guard: { type: 'roleIs', params: { role: other } }, target: other }) as const);
}

/** What every role answers: WAL from a primary (its epoch decides), promotions, demotions, health checks. */
function commands() {
  return [
    { guard: 'isWalData', actions: 'receiveWal' },
    { guard: 'isPromote', actions: 'promote' },
    { guard: 'isDemote', actions: 'demote' },
    { guard: 'isHealthCheck', actions: 'answerHealthCheck' },
  ] as const;
}

/** Witness mode: every role but the primary keeps the health-check timer going (only a standby checks). */
function watching() {
  return [
    { guard: 'isPeerCheckTimer', actions: 'peerCheckTick' },
    { guard: 'isPeerWaitTimer', actions: 'peerCheckTimedOut' },
  ] as const;
}

function role(name: DatabaseRole) {
  return { type: 'reportRole', params: { role: name } } as const;
}
