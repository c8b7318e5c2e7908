/**
 * Events as the service records them (DescribeEvents), and their delivery to the notification
 * topic's local sink: a file (one JSON line per notification) or an http(s) webhook URL (POST).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { DeployedEvent } from '../plan/types';

/** DescribeEvents keeps 14 days of events; locally we keep the newest ones up to a count. */
export const MAX_EVENTS = 5000;

/** Delivers one notification (`message` is the body ElastiCache publishes) as an SNS envelope. */
export function deliver(sink: string, topicArn: string, event: string, message: Record<string, string>, date: string): void {
  const body = JSON.stringify({
    Type: 'Notification',
    TopicArn: topicArn,
    Subject: `ElastiCache: ${event.replace(/^ElastiCache:/, '')}`,
    Message: JSON.stringify(message),
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
