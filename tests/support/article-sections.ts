/** The article's sections, in its order: what the lesson gallery groups the bundled scenarios by. */
export const ARTICLE_SECTIONS = [
  'Stateless vs stateful',
  'Backups',
  'Standby replicas',
  'Disaster recovery',
  'Automatic failover',
  'Split brain',
  'Orchestrators',
  'Leader election',
  'The combined setup',
];
