/** One node of the cluster as this node sees it (a line of CLUSTER NODES). */
export interface ClusterNode {
  /** 40 hex chars. */
  id: string;
  ip: string;
  port: number;
  /** The bus port shown after `@` (port + 10000 by convention; our nodes talk over `port`). */
  cport: number;
  hostname: string;
  role: 'master' | 'slave';
  /** The primary's id when `role` is slave. */
  primaryId: string | undefined;
  /** The epoch its slot claims carry (for a replica: its primary's, as it last announced). */
  configEpoch: number;
  shardId: string;
  /** No answer within cluster-node-timeout (PFAIL, shown as `fail?`). */
  pfail: boolean;
  /** Agreed failed by a majority of primaries (FAIL). */
  fail: boolean;
  /** ms of the outstanding ping (0 = none), of the last answer. */
  pingSent: number;
  pongReceived: number;
  /** Primaries that reported it PFAIL/FAIL: reporter id → ms of the report. */
  readonly failReports: Map<string, number>;
  replOffset: number;
  /** Our link to it is up. */
  linked: boolean;
}

export function newNode(id: string, ip: string, port: number, cport: number, shardId: string): ClusterNode {
  return {
    id,
    ip,
    port,
    cport,
    hostname: '',
    role: 'master',
    primaryId: undefined,
    configEpoch: 0,
    shardId,
    pfail: false,
    fail: false,
    pingSent: 0,
    pongReceived: 0,
    failReports: new Map(),
    replOffset: 0,
    linked: false,
  };
}

/** What one node tells another about itself (and a sample of the nodes it knows) on each exchange. */
export interface GossipMessage {
  readonly v: 1;
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly cport: number;
  readonly hostname: string;
  readonly role: 'master' | 'slave';
  readonly primaryId: string | null;
  readonly configEpoch: number;
  readonly currentEpoch: number;
  readonly shardId: string;
  /** Claimed slots as [start, end] ranges (primaries only). */
  readonly slots: Array<[number, number]>;
  readonly offset: number;
  /** Other nodes it knows: for discovery and failure reports. */
  readonly known: ReadonlyArray<{ id: string; ip: string; port: number; cport: number; pfail: boolean; fail: boolean }>;
}
