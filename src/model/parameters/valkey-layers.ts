import { FamilyLayer, integer, oneOf, yesNo } from './builders';

// Facts from the ElastiCache user guide, "Engine specific parameters" (Valkey 8.0 to 9.x);
// descriptions are our own. Valkey 7.2 (family valkey7) has the Redis OSS 7 parameters.

/** Valkey 8.0 (family valkey8). */
export const VALKEY_8_0: FamilyLayer = {
  release: 'Valkey 8.0',
  change: [
    { name: 'repl-backlog-size', default: '10485760' },
    { name: 'maxmemory-samples', min: 1, max: 64 },
  ],
  add: [
    yesNo('extended-redis-compatibility', 'yes', 'Makes Valkey introduce itself as Redis OSS 7.2 (HELLO, INFO, error texts) for tools that check.'),
  ],
  // Valkey 8 frees memory lazily on its own; these switches are gone from the family.
  remove: [
    { name: 'lazyfree-lazy-eviction' },
    { name: 'lazyfree-lazy-expire' },
    { name: 'lazyfree-lazy-server-del' },
    { name: 'lazyfree-lazy-user-del' },
    { name: 'replica-lazy-flush' },
  ],
};

/** Valkey 8.1: the command log (same family valkey8; 8.0 nodes do not read these). */
export const VALKEY_8_1: FamilyLayer = {
  release: 'Valkey 8.1',
  add: [
    integer('commandlog-request-larger-than', '1048576', 'Requests of at least this many bytes enter the command log (-1 turns it off).', { min: -1, since: '8.1' }),
    integer('commandlog-large-request-max-len', '128', 'Entries kept in the command log for large requests.', { min: 0, max: 1024, since: '8.1' }),
    integer('commandlog-reply-larger-than', '1048576', 'Replies of at least this many bytes enter the command log (-1 turns it off).', { min: -1, since: '8.1' }),
    integer('commandlog-large-reply-max-len', '128', 'Entries kept in the command log for large replies.', { min: 0, max: 1024, since: '8.1' }),
  ],
};

/** Valkey 8.2: vector search (same family valkey8; earlier nodes do not read these). */
export const VALKEY_8_2: FamilyLayer = {
  release: 'Valkey 8.2',
  add: [
    oneOf('search-fanout-target-mode', ['client', 'throughput'], 'client', 'How search queries spread over a cluster: by client connection type and READONLY (client), or over all nodes (throughput).', { since: '8.2' }),
    integer('search-default-timeout-ms', '50000', 'Default timeout of a search query, in milliseconds.', { min: 1, max: 60000, since: '8.2' }),
    yesNo('search-enable-partial-results', 'yes', 'When yes, a search returns what it has when some shard times out; when no, the query fails.', { since: '8.2' }),
  ],
};

/** Valkey 9.0 and 9.1 (family valkey9). */
export const VALKEY_9_0: FamilyLayer = {
  release: 'Valkey 9.0',
  add: [
    // The guide gives 1 to 10,000 as values and 0 (not set) as the default.
    integer('cluster-databases', '0', 'Databases available in cluster mode; set it when the group is created.', { min: 1, max: 10000, applies: 'at-creation', clusterMode: true }),
  ],
};
