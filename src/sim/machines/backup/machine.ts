/**
 * The backup store as an XState machine: one state; it keeps the backups primaries send it and
 * says so in the trace. It never sends anything: restoring is an operator's act, which the kernel
 * performs by reading the store's disk (see `planRestore`).
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { perform } from '../step';
import { initialBackupContext, receiveBackup } from './logic';
import type { BackupContext, BackupData, BackupDisk } from './types';

export const backupMachine = setup({
  types: nodeMachineTypes<BackupContext, BackupData, BackupDisk>(),
  guards: {
    isBackupData: ({ event }) => event.type === 'message' && event.msg.type === 'BackupData',
  },
  actions: {
    keepBackup: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      perform(enqueue, context, receiveBackup(context, event.from, event.msg));
    }),
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
