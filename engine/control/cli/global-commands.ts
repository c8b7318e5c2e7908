/**
 * The Global Datastore verbs, with the AWS CLI's names and options:
 * describe-global-replication-groups, failover-global-replication-group,
 * disassociate-global-replication-group.
 */
import { Command, Option } from 'commander';
import { ControlClient } from './client';
import {
  ApiGlobalReplicationGroup, apiGlobalReplicationGroup, describeGlobalReplicationGroups, globalReplicationGroupsTable,
} from '../global/api';
import type { DeployedGlobalReplicationGroup, DeployedState } from '../plan/types';
import { DEFAULT_STATE_DIR, StateDir } from '../state/store';

interface Common {
  stateDir: string;
  output: 'json' | 'table';
}

function verb(program: Command, name: string, description: string): Command {
  return program.command(name).description(description)
    .addOption(new Option('--state-dir <dir>', 'state directory').default(DEFAULT_STATE_DIR))
    .addOption(new Option('--output <format>', 'json or table').choices(['json', 'table']).default('table'));
}

function print<T>(o: Common, json: T, table: (r: T) => string): void {
  process.stdout.write((o.output === 'json' ? JSON.stringify(json, null, 4) : table(json)) + '\n');
}

type DisassociateFlags = Common & { globalReplicationGroupId: string; replicationGroupId: string; replicationGroupRegion: string };

const client = (o: Common) => new ControlClient(new StateDir(o.stateDir));

/** Runs a change on the control plane and prints the Global Datastore it answers with (members shown). */
async function change(o: Common, op: string, input: Record<string, unknown>): Promise<void> {
  await client(o).op<DeployedGlobalReplicationGroup>(op, input);
  const state = (await client(o).op<{ state: DeployedState }>('state')).state;
  const g = state.globalReplicationGroups?.[String(input.globalReplicationGroupId)];
  const shape = g ? apiGlobalReplicationGroup(state, g, true) : undefined;
  const table = (r: { GlobalReplicationGroup?: ApiGlobalReplicationGroup }) =>
    globalReplicationGroupsTable({ GlobalReplicationGroups: r.GlobalReplicationGroup ? [r.GlobalReplicationGroup] : [] });
  print(o, { GlobalReplicationGroup: shape }, table);
}

export function registerGlobalCommands(program: Command): void {
  verb(program, 'describe-global-replication-groups', 'DescribeGlobalReplicationGroups')
    .option('--global-replication-group-id <id>')
    .option('--show-member-info', 'include the members (primary and secondary replication groups)')
    .action(async (o: Common & { globalReplicationGroupId?: string; showMemberInfo?: boolean }) => {
      const state = (await client(o).op<{ state: DeployedState }>('state')).state;
      const { globalReplicationGroupId, showMemberInfo } = o;
      const r = describeGlobalReplicationGroups(state, { globalReplicationGroupId, showMemberInfo: showMemberInfo === true });
      print(o, r, globalReplicationGroupsTable);
    });

  verb(program, 'failover-global-replication-group', 'FailoverGlobalReplicationGroup: promote a secondary region')
    .requiredOption('--global-replication-group-id <id>')
    .requiredOption('--primary-region <region>', 'region of the secondary that becomes primary')
    .requiredOption('--primary-replication-group-id <id>', 'the secondary replication group that becomes primary')
    .action(async (o: Common & { globalReplicationGroupId: string; primaryRegion: string; primaryReplicationGroupId: string }) => {
      await change(o, 'failover-global-replication-group', {
        globalReplicationGroupId: o.globalReplicationGroupId, primaryRegion: o.primaryRegion, primaryReplicationGroupId: o.primaryReplicationGroupId,
      });
    });

  verb(program, 'disassociate-global-replication-group', 'DisassociateGlobalReplicationGroup: a secondary leaves and takes writes')
    .requiredOption('--global-replication-group-id <id>')
    .requiredOption('--replication-group-id <id>')
    .requiredOption('--replication-group-region <region>')
    .action(async (o: DisassociateFlags) => {
      await change(o, 'disassociate-global-replication-group', {
        globalReplicationGroupId: o.globalReplicationGroupId,
        replicationGroupId: o.replicationGroupId,
        replicationGroupRegion: o.replicationGroupRegion,
      });
    });
}
