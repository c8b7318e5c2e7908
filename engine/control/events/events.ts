/**
 * Events as the service records them (DescribeEvents), and their delivery to the notification
 * topic's local sink: a file (one JSON line per notification) or an http(s) webhook URL (POST).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { DeployedEvent } from '../plan/types';

/** DescribeEvents keeps 14 days of events; locally we keep the newest ones up to a count. */
export const MAX_EVENTS = 5000;

export interface Notification {
  /** SNS event name, e.g. `ElastiCache:FailoverComplete`. */
  readonly event: string;
  /** The resource it is about (cache cluster or replication group id). */
  readonly resource: string;
}

export function deliver(sink: string, topicArn: string, n: Notification, date: string): void {
  const body = JSON.stringify({
    Type: 'Notification',
    TopicArn: topicArn,
    Subject: `ElastiCache: ${n.event.replace(/^ElastiCache:/, '')}`,
    Message: JSON.stringify({ [n.event]: n.resource }),
    Timestamp: date,
  });
  if (/^https?:\/\//.test(sink)) {
    // Fire and forget, like SNS: a webhook that is down does not stop the control plane.
    fetch(sink, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
    return;
  }
  fs.mkdirSync(path.dirname(sink), { recursive: true });
  fs.appendFileSync(sink, body + '\n');
}

export function trim(events: DeployedEvent[]): void {
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
}
