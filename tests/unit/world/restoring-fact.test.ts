// Proves the page can show a database node being restored: while an operator's restore from a backup store is under way, the simulation's node says so (the store, the LSN the backups reach, when it comes up), and says nothing once the node is up again or when no restore runs; a checkpoint taken mid-restore keeps it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import { Simulation } from '../../../src/sim/world/simulation';

const parsed = parseScenarioText(readFileSync(new URL('../../../public/scenarios/backup-restore.json', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('backup-restore.json does not parse');
const lesson = parsed.scenario;

const db1 = (sim: Simulation) => sim.nodes().find((n) => n.id === 'db-1')!;

describe("a database node's restore, as the page sees it", () => {
  it('is shown from the restore command until the node comes up, with its store, LSN and time', () => {
    const sim = new Simulation(lesson, { keepTrace: false });
    sim.runUntil(49_000);
    expect(db1(sim).up).toBe(false);
    expect(db1(sim).restoring).toBeUndefined(); // the disk is lost; nobody restores it yet
    sim.runUntil(50_000);
    expect(db1(sim).restoring).toEqual({ from: 'backup-mumbai', upToLsn: '0/1381C', readyAtMs: 54_598 });
    sim.runUntil(54_597);
    expect(db1(sim).up).toBe(false);
    expect(db1(sim).restoring?.from).toBe('backup-mumbai');
    sim.runUntil(54_598);
    expect(db1(sim).up).toBe(true);
    expect(db1(sim).restoring).toBeUndefined();
  });

  it('survives a checkpoint taken mid-restore', () => {
    const sim = new Simulation(lesson, { keepTrace: false });
    sim.runUntil(52_000);
    const again = Simulation.restore(lesson, sim.checkpoint(), { keepTrace: false });
    expect(db1(again).restoring).toEqual(db1(sim).restoring);
    again.runUntil(55_000);
    expect(db1(again).restoring).toBeUndefined();
  });
});
