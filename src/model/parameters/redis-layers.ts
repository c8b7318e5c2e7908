import { FamilyLayer, integer, oneOf, text, yesNo } from './builders';

// Facts (names, defaults, ranges, modifiability) from the ElastiCache user guide, "Engine specific
// parameters" (Redis OSS 2.6.13 to 7); descriptions are our own. Each layer lists what one release
// changed; a family is the sum of its layers (see catalogue.ts).

/** The six eviction policies of Redis OSS 2.6.13; 4.0.10 adds the two LFU ones. */
const POLICIES_2_6 = ['volatile-lru', 'allkeys-lru', 'volatile-random', 'allkeys-random', 'volatile-ttl', 'noeviction'];

/** The eight eviction policies from Redis OSS 4.0.10 on. */
export const MAXMEMORY_POLICIES: readonly string[] = [
  'volatile-lru',
  'allkeys-lru',
  'volatile-lfu',
  'allkeys-lfu',
  'volatile-random',
  'allkeys-random',
  'volatile-ttl',
  'noeviction',
];

/** Redis OSS 2.6.13, the first engine ElastiCache ran (family redis2.6). */
export const REDIS_2_6_13: FamilyLayer = {
  release: 'Redis OSS 2.6.13',
  add: [
    yesNo('activerehashing', 'yes', 'Rehashes the main hash table in the background (about 1 ms of CPU ten times a second).', { applies: 'at-creation' }),
    yesNo('appendonly', 'no', 'Turns the append-only file (AOF) on or off.'),
    oneOf('appendfsync', ['always', 'everysec', 'no'], 'everysec', 'How often the AOF buffer is flushed to disk when AOF is on.'),
    integer('client-output-buffer-limit-normal-hard-limit', '0', 'Bytes of output buffer after which a normal client is disconnected (0 = no limit).', { min: 0 }),
    integer('client-output-buffer-limit-normal-soft-limit', '0', 'Bytes of output buffer a normal client may hold for at most the soft seconds (0 = no limit).', { min: 0 }),
    integer('client-output-buffer-limit-normal-soft-seconds', '0', 'Seconds a normal client may stay above the soft limit (0 = no limit).', { min: 0 }),
    integer('client-output-buffer-limit-pubsub-hard-limit', '33554432', 'Bytes of output buffer after which a pub/sub client is disconnected.', { min: 0 }),
    integer('client-output-buffer-limit-pubsub-soft-limit', '8388608', 'Bytes of output buffer a pub/sub client may hold for at most the soft seconds.', { min: 0 }),
    integer('client-output-buffer-limit-pubsub-soft-seconds', '60', 'Seconds a pub/sub client may stay above the soft limit.', { min: 0 }),
    integer('client-output-buffer-limit-slave-hard-limit', undefined, 'Bytes of output buffer after which a replica link is dropped (10% of maxmemory).', { modifiable: false, nodeTypeSpecific: true }),
    integer('client-output-buffer-limit-slave-soft-limit', undefined, 'Bytes of output buffer a replica link may hold for at most the soft seconds (10% of maxmemory).', { modifiable: false, nodeTypeSpecific: true }),
    integer('client-output-buffer-limit-slave-soft-seconds', '60', 'Seconds a replica link may stay above the soft limit.', { modifiable: false }),
    integer('databases', '16', 'Number of logical databases (SELECT 0..n-1).', { modifiable: false, min: 1, applies: 'at-creation' }),
    integer('hash-max-ziplist-entries', '512', 'Hashes with at most this many fields use the compact encoding.', { min: 0 }),
    integer('hash-max-ziplist-value', '64', 'Hashes whose values are at most this many bytes use the compact encoding.', { min: 0 }),
    integer('list-max-ziplist-entries', '512', 'Lists with at most this many elements use the compact encoding.', { min: 0 }),
    integer('list-max-ziplist-value', '64', 'Lists whose elements are at most this many bytes use the compact encoding.', { min: 0 }),
    integer('lua-time-limit', '5000', 'Milliseconds a Lua script may run before the node answers BUSY and ElastiCache stops the script.', { modifiable: false }),
    integer('maxclients', '65000', 'Most client connections at one time (lower on the smallest burstable node types).', { modifiable: false }),
    integer('maxmemory', undefined, 'Bytes of memory for data on the node; set by the node type.', { modifiable: false, nodeTypeSpecific: true }),
    oneOf('maxmemory-policy', POLICIES_2_6, 'volatile-lru', 'Which keys to evict when memory is full.'),
    integer('maxmemory-samples', '3', 'Keys sampled per eviction decision (LRU, LFU and TTL are approximated).', { min: 1 }),
    integer('reserved-memory', '0', 'Bytes of memory kept free for non-data use (ElastiCache-specific).', { min: 0 }),
    integer('set-max-intset-entries', '512', 'Sets of integers with at most this many members use the compact encoding.', { min: 0 }),
    yesNo('slave-allow-chaining', 'no', 'Whether a replica may have replicas of its own.', { modifiable: false }),
    integer('slowlog-log-slower-than', '10000', 'Microseconds a command must take to enter the slow log (negative turns the slow log off).', { min: -1 }),
    integer('slowlog-max-len', '128', 'Entries kept in the slow log.', { min: 0 }),
    integer('tcp-keepalive', '0', 'Seconds between TCP keepalive probes to clients (0 = none).', { min: 0 }),
    integer('timeout', '0', 'Seconds of idleness after which a client is disconnected: 0 (never) or 20 and more.', { min: 0, format: 'idle-timeout' }),
    integer('zset-max-ziplist-entries', '128', 'Sorted sets with at most this many members use the compact encoding.', { min: 0 }),
    integer('zset-max-ziplist-value', '64', 'Sorted sets whose members are at most this many bytes use the compact encoding.', { min: 0 }),
  ],
};

/** Redis OSS 2.8.6 additions (family redis2.8). */
export const REDIS_2_8_6: FamilyLayer = {
  release: 'Redis OSS 2.8.6',
  add: [
    integer('min-slaves-max-lag', '10', 'Seconds without a replica ping after which the replica no longer counts for min-slaves-to-write.', { min: 0 }),
    integer('min-slaves-to-write', '0', 'Replicas that must be connected for the primary to accept writes (0 = always accept).', { min: 0 }),
    text('notify-keyspace-events', '', 'Which keyspace events are published (letters K E g $ l s h z x e A; empty = none).', { format: 'keyspace-events' }),
    integer('repl-backlog-size', '1048576', 'Bytes of replication backlog kept for partial resynchronisation.', { min: 16384 }),
    integer('repl-backlog-ttl', '3600', 'Seconds the backlog is kept after the last replica disconnected (0 = forever).', { min: 0 }),
    integer('repl-timeout', '60', 'Seconds before a replication link (transfer, primary or replica) is considered timed out.'),
  ],
};

/** Redis OSS 2.8.22: ElastiCache takes AOF and the replication timeout over. */
export const REDIS_2_8_22: FamilyLayer = {
  release: 'Redis OSS 2.8.22',
  change: [
    { name: 'appendonly', modifiable: false },
    { name: 'appendfsync', modifiable: false },
    { name: 'repl-timeout', modifiable: false },
  ],
};

/** Redis OSS 2.8.23 additions. */
export const REDIS_2_8_23: FamilyLayer = {
  release: 'Redis OSS 2.8.23',
  add: [yesNo('close-on-slave-write', 'yes', 'Disconnects clients that write to a read-only replica, so they reconnect to the new primary.')],
};

/** Redis OSS 3.2.4 (family redis3.2): cluster mode arrives. */
export const REDIS_3_2_4: FamilyLayer = {
  release: 'Redis OSS 3.2.4',
  add: [
    // The 3.2.4 table marks it not modifiable; the Redis OSS 7 table, describing it as it was up
    // to 6.x, marks it modifiable. We follow the later statement.
    integer('list-max-ziplist-size', '-2', 'Size of one list node: -5..-1 pick 64/32/16/8/4 KB, a positive number is a count of elements.', { min: -5 }),
    integer('list-compress-depth', '0', 'Nodes at each end of a list left uncompressed (0 = no compression).', { min: 0 }),
    yesNo('cluster-enabled', 'no', 'Whether nodes run in cluster mode; decided by the group (the `.cluster.on` default groups say yes).', { modifiable: false, clusterMode: true }),
    yesNo('cluster-require-full-coverage', 'no', 'When yes, a shard stops answering as soon as some hash slot has no node serving it.', { clusterMode: true }),
    integer('hll-sparse-max-bytes', '3000', 'Bytes after which a HyperLogLog leaves the sparse encoding.', { min: 0 }),
    integer('reserved-memory-percent', '25', 'Percent of node memory kept free for non-data use such as snapshots and replication (ElastiCache-specific).', { min: 0, max: 100 }),
  ],
  change: [
    { name: 'activerehashing', modifiable: true, applies: 'at-creation' },
    { name: 'databases', modifiable: true, applies: 'at-creation' },
    { name: 'appendonly', default: 'no', modifiable: false },
    { name: 'appendfsync', modifiable: false },
    { name: 'repl-timeout', default: '60', modifiable: false },
    { name: 'tcp-keepalive', default: '300' },
  ],
  remove: [{ name: 'list-max-ziplist-entries', replacement: 'list-max-ziplist-size' }, { name: 'list-max-ziplist-value', replacement: 'list-max-ziplist-size' }],
};

/** Redis OSS 4.0.10 (family redis4.0): LFU eviction, lazy freeing, active defragmentation. */
export const REDIS_4_0_10: FamilyLayer = {
  release: 'Redis OSS 4.0.10',
  change: [{ name: 'maxmemory-policy', allowedValues: MAXMEMORY_POLICIES }],
  add: [
    yesNo('lazyfree-lazy-eviction', 'no', 'Frees evicted keys in the background.'),
    yesNo('lazyfree-lazy-expire', 'no', 'Frees expired keys in the background.'),
    yesNo('lazyfree-lazy-server-del', 'no', 'Frees values overwritten or deleted by commands in the background.'),
    yesNo('slave-lazy-flush', 'no', 'Flushes the old data set in the background when a replica resynchronises.', { modifiable: false }),
    integer('lfu-log-factor', '10', 'How many hits it takes to saturate the LFU counter of a key.', { min: 1 }),
    integer('lfu-decay-time', '1', 'Minutes after which the LFU counter of an untouched key is decremented.'),
    yesNo('activedefrag', 'no', 'Turns active memory defragmentation on.'),
    integer('active-defrag-ignore-bytes', '104857600', 'Bytes of fragmentation waste below which defragmentation does not start.', { min: 10485760, max: 104857600 }),
    integer('active-defrag-threshold-lower', '10', 'Fragmentation percent at which defragmentation starts.', { min: 1, max: 100 }),
    integer('active-defrag-threshold-upper', '100', 'Fragmentation percent at which defragmentation works at full effort.', { min: 1, max: 100 }),
    integer('active-defrag-cycle-min', '25', 'Least CPU percent spent on defragmentation.', { min: 1, max: 75 }),
    integer('active-defrag-cycle-max', '75', 'Most CPU percent spent on defragmentation.', { min: 1, max: 75 }),
    integer('client-query-buffer-limit', '1073741824', 'Largest query buffer of one client, in bytes.', { min: 1048576, max: 1073741824 }),
    integer('proto-max-bulk-len', '536870912', 'Largest single element of a request, in bytes.', { min: 1048576, max: 536870912 }),
  ],
};

/** Redis OSS 5.0.0 (family redis5.0): streams, and `slave` becomes `replica` in names. */
export const REDIS_5_0_0: FamilyLayer = {
  release: 'Redis OSS 5.0',
  add: [
    integer('stream-node-max-bytes', '4096', 'Bytes per node of the radix tree behind a stream (0 = unlimited).', { min: 0 }),
    integer('stream-node-max-entries', '100', 'Entries per node of the radix tree behind a stream (0 = unlimited).', { min: 0 }),
    integer('active-defrag-max-scan-fields', '1000', 'Fields of a set, hash, sorted set or list handled in one step of the defragmentation scan.', { min: 1, max: 1000000 }),
    yesNo('lua-replicate-commands', 'yes', 'Replicates the effects of Lua scripts rather than the scripts.'),
    yesNo('replica-ignore-maxmemory', 'yes', 'Replicas do not evict on their own; they follow the primary.', { modifiable: false }),
  ],
  change: [{ name: 'active-defrag-cycle-min', default: '5' }],
  rename: [
    { from: 'slave-lazy-flush', to: yesNo('replica-lazy-flush', 'yes', 'Flushes the old data set in the background when a replica resynchronises.', { modifiable: false }) },
    { from: 'client-output-buffer-limit-slave-hard-limit', to: integer('client-output-buffer-limit-replica-hard-limit', undefined, 'Bytes of output buffer after which a replica link is dropped (10% of maxmemory).', { modifiable: false, nodeTypeSpecific: true }) },
    { from: 'client-output-buffer-limit-slave-soft-limit', to: integer('client-output-buffer-limit-replica-soft-limit', undefined, 'Bytes of output buffer a replica link may hold for at most the soft seconds (10% of maxmemory).', { modifiable: false, nodeTypeSpecific: true }) },
    { from: 'client-output-buffer-limit-slave-soft-seconds', to: integer('client-output-buffer-limit-replica-soft-seconds', '60', 'Seconds a replica link may stay above the soft limit.', { modifiable: false }) },
    { from: 'slave-allow-chaining', to: yesNo('replica-allow-chaining', 'no', 'Whether a replica may have replicas of its own.', { modifiable: false }) },
    { from: 'min-slaves-to-write', to: integer('min-replicas-to-write', '0', 'Replicas that must be connected for the primary to accept writes (0 = always accept).', { min: 0 }) },
    { from: 'min-slaves-max-lag', to: integer('min-replicas-max-lag', '10', 'Seconds without a replica ping after which the replica no longer counts for min-replicas-to-write.', { min: 0 }) },
    { from: 'close-on-slave-write', to: yesNo('close-on-replica-write', 'yes', 'Disconnects clients that write to a read-only replica, so they reconnect to the new primary.') },
  ],
  remove: [{ name: 'repl-timeout' }],
};

/**
 * Commands `rename-commands` may rename (Redis OSS 5.0.3 and later). Administrative commands
 * that ElastiCache keeps to itself (CONFIG, SHUTDOWN, ...) are not in it.
 */
export const RENAMABLE_COMMANDS: readonly string[] = (
  'APPEND AUTH BITCOUNT BITFIELD BITOP BITPOS BLPOP BRPOP BRPOPLPUSH BZPOPMIN BZPOPMAX CLIENT CLUSTER COMMAND DBSIZE ' +
  'DECR DECRBY DEL DISCARD DUMP ECHO EVAL EVALSHA EXEC EXISTS EXPIRE EXPIREAT FLUSHALL FLUSHDB GEOADD GEOHASH GEOPOS ' +
  'GEODIST GEORADIUS GEORADIUSBYMEMBER GET GETBIT GETRANGE GETSET HDEL HEXISTS HGET HGETALL HINCRBY HINCRBYFLOAT HKEYS ' +
  'HLEN HMGET HMSET HSET HSETNX HSTRLEN HVALS INCR INCRBY INCRBYFLOAT INFO KEYS LASTSAVE LINDEX LINSERT LLEN LPOP LPUSH ' +
  'LPUSHX LRANGE LREM LSET LTRIM MEMORY MGET MONITOR MOVE MSET MSETNX MULTI OBJECT PERSIST PEXPIRE PEXPIREAT PFADD ' +
  'PFCOUNT PFMERGE PING PSETEX PSUBSCRIBE PUBSUB PTTL PUBLISH PUNSUBSCRIBE RANDOMKEY READONLY READWRITE RENAME RENAMENX ' +
  'RESTORE ROLE RPOP RPOPLPUSH RPUSH RPUSHX SADD SCARD SCRIPT SDIFF SDIFFSTORE SELECT SET SETBIT SETEX SETNX SETRANGE ' +
  'SINTER SINTERSTORE SISMEMBER SLOWLOG SMEMBERS SMOVE SORT SPOP SRANDMEMBER SREM STRLEN SUBSCRIBE SUNION SUNIONSTORE ' +
  'SWAPDB TIME TOUCH TTL TYPE UNSUBSCRIBE UNLINK UNWATCH WAIT WATCH ZADD ZCARD ZCOUNT ZINCRBY ZINTERSTORE ZLEXCOUNT ' +
  'ZPOPMAX ZPOPMIN ZRANGE ZRANGEBYLEX ZREVRANGEBYLEX ZRANGEBYSCORE ZRANK ZREM ZREMRANGEBYLEX ZREMRANGEBYRANK ' +
  'ZREMRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE ZREVRANK ZSCORE ZUNIONSTORE SCAN SSCAN HSCAN ZSCAN XINFO XADD XTRIM XDEL ' +
  'XRANGE XREVRANGE XLEN XREAD XGROUP XREADGROUP XACK XCLAIM XPENDING GEORADIUS_RO GEORADIUSBYMEMBER_RO LOLWUT XSETID SUBSTR'
).split(' ');

/** Redis OSS 5.0.3 additions. */
export const REDIS_5_0_3: FamilyLayer = {
  release: 'Redis OSS 5.0.3',
  add: [text('rename-commands', '', 'Space-separated pairs `COMMAND new-name` that rename commands (empty = none).', { format: 'rename-commands' })],
};

/** Redis OSS 6.0 and 6.2 (family redis6.x): ACLs and client-side caching. */
export const REDIS_6_X: FamilyLayer = {
  release: 'Redis OSS 6.x',
  add: [
    oneOf('acl-pubsub-default', ['resetchannels', 'allchannels'], 'allchannels', 'Pub/sub channel permissions a new ACL user starts with.', { since: '6.2' }),
    yesNo('cluster-allow-reads-when-down', 'no', 'When yes, a shard keeps serving reads while it cannot reach a majority of primaries.', { clusterMode: true }),
    integer('tracking-table-max-keys', '1000000', 'Keys remembered for client-side caching invalidation.', { min: 0 }),
    integer('acllog-max-len', '128', 'Entries kept in the ACL log.', { min: 0 }),
    integer('active-expire-effort', '1', 'Effort (1 to 10) spent expiring keys in the background; more effort costs CPU.', { min: 1, max: 10 }),
    yesNo('lazyfree-lazy-user-del', 'no', 'When yes, DEL frees memory in the background like UNLINK.'),
  ],
  remove: [{ name: 'lua-replicate-commands' }],
};

/** Redis OSS 7.0 and 7.1 (family redis7), and Valkey 7.2 (family valkey7, the same parameters). */
export const REDIS_7: FamilyLayer = {
  release: 'Redis OSS 7',
  add: [
    yesNo('cluster-allow-pubsubshard-when-down', 'yes', 'When yes, a shard keeps serving sharded pub/sub for its own slots while the cluster is down.', { clusterMode: true }),
    oneOf('cluster-preferred-endpoint-type', ['ip', 'tls-dynamic'], 'tls-dynamic', 'What MOVED, ASK, CLUSTER SLOTS and CLUSTER SHARDS announce: the IP, or a hostname when TLS is on.', { clusterMode: true }),
    yesNo('latency-tracking', 'no', 'Tracks per-command latency percentiles (INFO latencystats, LATENCY HISTOGRAM).'),
    integer('hash-max-listpack-entries', '512', 'Hashes with at most this many fields use the compact encoding.', { min: 0 }),
    integer('hash-max-listpack-value', '64', 'Hashes whose values are at most this many bytes use the compact encoding.', { min: 0 }),
    integer('zset-max-listpack-entries', '128', 'Sorted sets with at most this many members use the compact encoding.', { min: 0 }),
    integer('zset-max-listpack-value', '64', 'Sorted sets whose members are at most this many bytes use the compact encoding.', { min: 0 }),
  ],
  change: [{ name: 'activerehashing', modifiable: false, applies: 'immediately' }],
  remove: [
    { name: 'hash-max-ziplist-entries', replacement: 'hash-max-listpack-entries' },
    { name: 'hash-max-ziplist-value', replacement: 'hash-max-listpack-value' },
    { name: 'zset-max-ziplist-entries', replacement: 'zset-max-listpack-entries' },
    { name: 'zset-max-ziplist-value', replacement: 'zset-max-listpack-value' },
    { name: 'list-max-ziplist-size' },
  ],
};
