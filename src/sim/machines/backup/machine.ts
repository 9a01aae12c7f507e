/**
 * The backup store as an XState machine: one state; it keeps the backups primaries send it and
 * says so in the trace. It never sends anything: restoring is an operator's act, which the kernel
 * performs by reading the store's disk (see `planRestore`).
 */
import { setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import type { NodeEvent } from '../protocol';
import { stepAction } from '../step';
import { initialBackupContext, receiveBackup } from './logic';
import type { BackupContext, BackupData, BackupDisk } from './types';

export const backupMachine = setup({
  types: nodeMachineTypes<BackupContext, BackupData, BackupDisk>(),
  guards: {
    isBackupData: ({ event }) => event.type === 'message' && event.msg.type === 'BackupData',
  },
  actions: {
    keepBackup: stepAction<BackupContext, NodeEvent<BackupData>, undefined, BackupData>((context, event) =>
      event.type === 'message' ? receiveBackup(context, event.from, event.msg) : null,
    ),
  },
}).createMachine({
  id: 'backup',
  context: ({ input }) => initialBackupContext(input.id, input.disk),
  initial: 'storing',
  states: {
    storing: {
      on: { message: { guard: 'isBackupData', actions: 'keepBackup' } },
    },
  },
});

export type BackupMachine = typeof backupMachine;
