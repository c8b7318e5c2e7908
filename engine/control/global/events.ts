/**
 * Global Datastore events. DescribeEvents has no global-datastore source type, so they are
 * replication-group events (the datastore id as the source for the datastore's own lifecycle).
 * The reference lists no Global Datastore messages or SNS notification names: these messages are
 * ours, worded like the service's other replication group events.
 */
import type { EventDraft } from '../api/event-messages';

const ev = (sourceIdentifier: string, message: string): EventDraft => ({ sourceType: 'replication-group', sourceIdentifier, message });

export const globalEvents = {
  creating: (gid: string) => ev(gid, `Global replication group ${gid} is being created`),
  created: (gid: string) => ev(gid, `Global replication group ${gid} created`),
  deleted: (gid: string) => ev(gid, `Global replication group ${gid} deleted`),
  joining: (rg: string, gid: string) => ev(rg, `Replication group ${rg} is being added to global replication group ${gid} as a secondary`),
  joined: (rg: string, gid: string) => ev(rg, `Replication group ${rg} added to global replication group ${gid}; it replicates from the primary region`),
  failoverStarted: (gid: string, region: string, rg: string) => ev(gid, `Failover of global replication group ${gid} to replication group ${rg} in region ${region} started`),
  promoted: (rg: string, gid: string) => ev(rg, `Replication group ${rg} is now the primary of global replication group ${gid}`),
  demoted: (rg: string, gid: string, to: string) => ev(rg, `Replication group ${rg} is now a secondary of global replication group ${gid}, replicating from ${to}`),
  failoverCompleted: (gid: string, rg: string) => ev(gid, `Failover of global replication group ${gid} to replication group ${rg} completed`),
  disassociated: (rg: string, gid: string) => ev(rg, `Replication group ${rg} disassociated from global replication group ${gid}; it now takes writes`),
};
