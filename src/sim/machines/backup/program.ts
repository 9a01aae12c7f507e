/** The backup store as a program the kernel can host on backup-<region>. */
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { formatLsn } from '../database/wal';
import { backupMachine, type BackupMachine } from './machine';
import { backupDiskOf } from './logic';
import type { BackupData, BackupDisk } from './types';

export const backupProgram: NodeProgram<BackupMachine, BackupDisk> = {
  kind: 'backup',
  machine: backupMachine,
  diskOf: (snapshot) => backupDiskOf(snapshot.context),
  view: (snapshot): NodeView => {
    const ctx = snapshot.context;
    const last = ctx.chain[ctx.chain.length - 1];
    return {
      role: 'backup',
      term: null,
      detail: {
        status: ctx.reason,
        backupLsn: last ? formatLsn(last.upToLsn) : null,
        incrementals: Math.max(0, ctx.chain.length - 1),
        refused: ctx.refusedCount,
      },
    };
  },
  look: (message: Message): MessageLook => {
    const msg = message as BackupData;
    return { family: 'wal', label: `${msg.kind} backup →${formatLsn(msg.upToLsn)}` };
  },
};
