/**
 * The engine and version INFO reports. By default the version the node implements; a node the
 * control plane starts for a group reports the group's engine version (the `cdk-elasticache-engine`
 * directive, `redis-7.1.0` or `valkey-8.0.1`), as an ElastiCache node reports the version it runs.
 */
import { VERSION } from './connection';
import type { Server } from '../server';

export function versionLines(s: Server): string[] {
  const m = /^(redis|valkey)-(\d+(?:\.\d+)*)$/.exec(String(s.config.get('cdk-elasticache-engine') ?? ''));
  if (!m) return [`redis_version:${VERSION}`];
  const parts = m[2].split('.');
  while (parts.length < 3) parts.push('0');
  const version = parts.join('.');
  // Valkey keeps redis_version at the Redis release it forked from and adds its own fields.
  return m[1] === 'valkey' ? [`redis_version:${VERSION}`, 'server_name:valkey', `valkey_version:${version}`] : [`redis_version:${version}`];
}
