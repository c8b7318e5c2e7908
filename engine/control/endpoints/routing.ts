/**
 * The routing table the endpoint router serves (`<state>/routing.json`): per endpoint address,
 * the nodes a new connection may go to. The control plane writes it (crash-safe) whenever a role
 * or a node's health changes; the router keeps serving the last one it read while the control
 * plane is down. The router acknowledges the version it applied in `router.applied`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../state/store';
import { Address, Group, Node, members, shard } from '../state/types';

export interface Route {
  readonly listen: Address;
  /** `single`: the first target; `spread`: round robin (reader, configuration). */
  readonly mode: 'single' | 'spread';
  /** Where new connections go; open connections to any other node are closed. */
  readonly targets: Address[];
}

export interface Routing {
  readonly version: number;
  readonly routes: Route[];
}

export const routingFile = (root: string) => path.join(root, 'routing.json');
export const appliedFile = (root: string) => path.join(root, 'router.applied');

/** The routes of one group, given which nodes are up. */
export function groupRoutes(group: Group, isUp: (n: Node) => boolean): Route[] {
  const up = members(group).filter(isUp);
  if (group.configurationEndpoint) return [{ listen: group.configurationEndpoint, mode: 'spread', targets: up.map((n) => n.endpoint) }];
  const ng = shard(group);
  if (!ng?.primaryEndpoint || !ng.readerEndpoint) return [];
  const primary = up.filter((n) => n.role === 'primary').map((n) => n.endpoint);
  const replicas = up.filter((n) => n.role === 'replica').map((n) => n.endpoint);
  // The primary endpoint is not routed: the primary node listens on its address (primary-address.ts).
  // No replica up: the reader endpoint reaches the primary, as the service's does.
  return [{ listen: ng.readerEndpoint, mode: 'spread', targets: replicas.length > 0 ? replicas : primary }];
}

export function readRouting(root: string): Routing | undefined {
  try {
    return JSON.parse(fs.readFileSync(routingFile(root), 'utf8')) as Routing;
  } catch {
    return undefined;
  }
}

export function writeRouting(root: string, routing: Routing): void {
  writeFileAtomic(routingFile(root), JSON.stringify(routing));
}

export function readApplied(root: string): number {
  try {
    return Number(fs.readFileSync(appliedFile(root), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

export const routeKey = (a: Address) => `${a.address}:${a.port}`;
