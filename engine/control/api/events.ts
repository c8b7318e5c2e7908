import { ApiError } from './errors';
import { ApiEvent } from './shapes';
import { DeployedState, EventSourceType } from '../plan/types';

const SOURCE_TYPES: readonly EventSourceType[] = [
  'cache-cluster', 'cache-parameter-group', 'cache-security-group', 'cache-subnet-group', 'replication-group',
  'serverless-cache', 'serverless-cache-snapshot', 'user', 'user-group',
];

export interface DescribeEventsOptions {
  readonly sourceIdentifier?: string;
  readonly sourceType?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** Minutes back from now (default 60); ignored when startTime or endTime is given. */
  readonly duration?: number;
  /** 20 to 100 (default 100). */
  readonly maxRecords?: number;
  /** The clock, for tests. */
  readonly now?: Date;
}

/**
 * DescribeEvents: the events of the time window (the last hour by default), newest first, at most
 * MaxRecords, with the API's parameter checks. (No Marker paging: the control plane keeps 14 days.)
 */
export function describeEvents(state: DeployedState, options: DescribeEventsOptions = {}): { Events: ApiEvent[] } {
  if (options.sourceType !== undefined && !SOURCE_TYPES.includes(options.sourceType as EventSourceType)) {
    throw new ApiError('InvalidParameterValue', `Invalid source type: ${options.sourceType}. Valid values: ${SOURCE_TYPES.join(', ')}`);
  }
  if (options.sourceIdentifier !== undefined && options.sourceType === undefined) {
    throw new ApiError('InvalidParameterCombination', 'Source type must be specified when source identifier is specified');
  }
  const max = options.maxRecords ?? 100;
  if (!Number.isInteger(max) || max < 20 || max > 100) {
    throw new ApiError('InvalidParameterValue', `MaxRecords must be between 20 and 100, got ${max}`);
  }
  const now = (options.now ?? new Date()).getTime();
  const end = options.endTime !== undefined ? Date.parse(options.endTime) : now;
  // As the service: Duration counts back from now and is ignored once StartTime or EndTime is given
  // (an EndTime alone means the hour before it).
  const explicit = options.startTime !== undefined || options.endTime !== undefined;
  const minutes = explicit ? 60 : options.duration ?? 60;
  const start = options.startTime !== undefined ? Date.parse(options.startTime) : end - minutes * 60_000;
  if (Number.isNaN(start) || Number.isNaN(end)) throw new ApiError('InvalidParameterValue', 'StartTime and EndTime must be ISO 8601 dates');
  const events = state.events
    .filter((e) => {
      const t = Date.parse(e.date);
      return t >= start && t <= end
        && (options.sourceType === undefined || e.sourceType === options.sourceType)
        && (options.sourceIdentifier === undefined || e.sourceIdentifier === options.sourceIdentifier);
    })
    .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))
    .slice(0, max);
  return { Events: events.map((e) => ({ SourceIdentifier: e.sourceIdentifier, SourceType: e.sourceType, Message: e.message, Date: e.date })) };
}
