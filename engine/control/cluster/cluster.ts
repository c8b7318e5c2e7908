/**
 * The control plane's handle on one cluster-mode group: its members (address, node group, role),
 * a connection and the node id of each. Every operation in this folder takes one.
 */
import { evenSlotRanges, nodeGroupIds, parseSlots } from '#model/topology';
import { LinkOptions, NodeLink } from './link';

export type Role = 'primary' | 'replica';

export interface ClusterMember {
  readonly host: string;
  readonly port: number;
  readonly nodeGroupId: string;
  role: Role;
}

export interface Member extends ClusterMember {
  id: string;
  link: NodeLink;
}

/** Node group id → inclusive slot ranges. */
export type SlotLayout = Record<string, ReadonlyArray<[number, number]>>;

/** The service's even split over `groupIds` (or `0001`..`000n` for a count). */
export function evenLayout(groups: readonly string[] | number): SlotLayout {
  const ids = typeof groups === 'number' ? nodeGroupIds(groups) : groups;
  const ranges = evenSlotRanges(ids.length);
  return Object.fromEntries(ids.map((id, i) => [id, parseSlots(ranges[i])!]));
}

/** A layout from NodeGroupConfiguration-style `Slots` strings (`0-5460,6000`), even split where missing. */
export function layoutFromSlots(groups: ReadonlyArray<{ nodeGroupId: string; slots?: string }>): SlotLayout {
  const even = evenLayout(groups.map((g) => g.nodeGroupId));
  return Object.fromEntries(groups.map((g) => {
    const r = g.slots !== undefined ? parseSlots(g.slots) : even[g.nodeGroupId];
    if (!r) throw new Error(`node group ${g.nodeGroupId}: bad slots '${g.slots}'`);
    return [g.nodeGroupId, r];
  }));
}

export class ClusterHandle {
  /** Opens a link to each member and reads its node id. */
  static async connect(members: readonly ClusterMember[], opts: LinkOptions = {}): Promise<ClusterHandle> {
    const h = new ClusterHandle(opts);
    try {
      for (const m of members) await h.attach(m);
    } catch (e) {
      h.close();
      throw e;
    }
    return h;
  }

  readonly members: Member[] = [];

  // A node blocked in MIGRATE (it waits for its target, as Valkey does) holds every command queued
  // behind it: admin commands get 30 s unless the caller says otherwise.
  private constructor(readonly linkOptions: LinkOptions) {
    this.linkOptions = { timeoutMs: 30000, ...linkOptions };
  }

  /** Adds a member (a new node, or a restarted one: its link and id are refreshed). */
  async attach(m: ClusterMember): Promise<Member> {
    const link = await NodeLink.open(m, this.linkOptions);
    const id = await link.text('CLUSTER', 'MYID');
    const old = this.find(m);
    if (old) {
      old.link.close();
      Object.assign(old, { id, link, role: m.role, nodeGroupId: m.nodeGroupId });
      return old;
    }
    const member: Member = { ...m, id, link };
    this.members.push(member);
    return member;
  }

  detach(m: ClusterMember): void {
    const i = this.members.findIndex((x) => x.host === m.host && x.port === m.port);
    if (i >= 0) this.members.splice(i, 1)[0].link.close();
  }

  find(m: { host: string; port: number }): Member | undefined {
    return this.members.find((x) => x.host === m.host && x.port === m.port);
  }

  byId(id: string): Member | undefined {
    return this.members.find((x) => x.id === id);
  }

  /** Members whose connection is up (a killed node's link closes at once). */
  live(): Member[] {
    return this.members.filter((m) => !m.link.closed);
  }

  groups(): string[] {
    return [...new Set(this.members.map((m) => m.nodeGroupId))];
  }

  primaryOf(group: string): Member {
    const p = this.members.find((m) => m.nodeGroupId === group && m.role === 'primary');
    if (!p) throw new Error(`node group ${group} has no primary`);
    return p;
  }

  replicasOf(group: string): Member[] {
    return this.members.filter((m) => m.nodeGroupId === group && m.role === 'replica');
  }

  close(): void {
    for (const m of this.members) m.link.close();
  }
}

/** `a b` pairs of an ADDSLOTSRANGE / DELSLOTSRANGE command. */
export function rangeArgs(ranges: ReadonlyArray<[number, number]>): number[] {
  return ranges.flatMap(([a, b]) => [a, b]);
}
