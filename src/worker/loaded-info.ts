/** What the page is told of a scenario once a session has been built for it (the playground's and each A/B side's). */
import { agentsDecide, type Scenario } from '../sim';
import type { LoadedInfo } from './protocol';
import type { Session } from './session';

export function loadedInfo(scenario: Scenario, session: Session): LoadedInfo {
  const topology = scenario.topology;
  return {
    title: scenario.title,
    description: scenario.description,
    durationMs: scenario.durationMs,
    seed: scenario.seed,
    election: topology.election,
    regions: topology.regions,
    hasDatabase: topology.database !== null,
    hasServers: topology.servers > 0,
    agentsDecide: topology.database !== null && agentsDecide(topology),
    statecharts: session.statecharts(),
  };
}
