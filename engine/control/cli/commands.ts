/**
 * Registers the control-plane commands on the `cdk-elasticache` program: deploy, destroy, the
 * AWS-CLI-style verbs (same names and options as `aws elasticache ...`), and the hidden
 * `control-plane` command the CLI starts in the background.
 */
import { Command, Option } from 'commander';
import { ControlClient } from './client';
import { deploy, destroy, endpointLines } from './deploy';
import { OutputFormat, print } from './output';
import { allClusters, eventShape, replicationGroupShape, snapshotShape, userGroupShape, userShape } from './shapes';
import { isDynamic } from '../nodes/parameters';
import type { DeployedReplicationGroup, DeployedSnapshot, DeployedState } from '../plan/types';
import { DEFAULT_STATE_DIR, StateDir } from '../state/store';

/** `Key=Value` arguments into a record. */
function pairs(list: string[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    if (i <= 0) throw new Error(`expected KEY=VALUE, got '${item}'`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

interface Common {
  stateDir?: string;
  output?: OutputFormat;
}

interface DeployFlags {
  stack?: string;
  stateDir: string;
  parameters?: string[];
  secrets?: string[];
  topicSink?: string[];
  engineBinary?: string;
}

type EventFlags = Common & {
  sourceIdentifier?: string; sourceType?: string; duration?: string; startTime?: string; endTime?: string; maxRecords?: string;
};

const stateDirOption = () => new Option('--state-dir <dir>', 'state directory').default(DEFAULT_STATE_DIR);
const outputOption = () => new Option('--output <format>', 'json or table').choices(['json', 'table']).default('table');

function verb(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).addOption(stateDirOption()).addOption(outputOption());
}

async function state(o: Common): Promise<DeployedState> {
  return (await new ControlClient(new StateDir(o.stateDir)).op<{ state: DeployedState }>('state')).state;
}

async function op<T>(o: Common, name: string, input: Record<string, unknown>): Promise<T> {
  return new ControlClient(new StateDir(o.stateDir)).op<T>(name, input);
}

const rgRow = (g: ReturnType<typeof replicationGroupShape>) => ({
  ReplicationGroupId: g.ReplicationGroupId,
  Status: g.Status,
  Engine: g.Engine,
  NodeType: g.CacheNodeType,
  Members: g.MemberClusters.length,
  Primary: g.NodeGroups[0]?.PrimaryEndpoint ? `${g.NodeGroups[0].PrimaryEndpoint.Address}:${g.NodeGroups[0].PrimaryEndpoint.Port}` : '-',
  Reader: g.NodeGroups[0]?.ReaderEndpoint ? `${g.NodeGroups[0].ReaderEndpoint.Address}:${g.NodeGroups[0].ReaderEndpoint.Port}` : '-',
  Failover: g.AutomaticFailover,
  TLS: g.TransitEncryptionEnabled,
});

const RG_COLUMNS = ['ReplicationGroupId', 'Status', 'Engine', 'NodeType', 'Members', 'Primary', 'Reader', 'Failover', 'TLS'];

function printGroup(o: Common, g: DeployedReplicationGroup): void {
  const shape = replicationGroupShape(g);
  print(o.output ?? 'table', { ReplicationGroup: shape }, [rgRow(shape)], RG_COLUMNS);
}

function printSnapshot(o: Common, s: DeployedSnapshot): void {
  const shape = snapshotShape(s);
  print(o.output ?? 'table', { Snapshot: shape }, [snapRow(shape)], SNAP_COLUMNS);
}

const snapRow = (s: ReturnType<typeof snapshotShape>) => ({
  SnapshotName: s.SnapshotName,
  Status: s.SnapshotStatus,
  Source: s.SnapshotSource,
  ReplicationGroupId: s.ReplicationGroupId,
  Size: s.NodeSnapshots[0]?.CacheSize,
  Created: s.NodeSnapshots[0]?.SnapshotCreateTime,
});
const SNAP_COLUMNS = ['SnapshotName', 'Status', 'Source', 'ReplicationGroupId', 'Size', 'Created'];

export function registerControlCommands(program: Command): void {
  program
    .command('deploy')
    .description('bring the ElastiCache resources of a cdk.out folder or CloudFormation template (JSON/YAML) up locally')
    .argument('<spec>', 'a cdk.out folder, template.json or template.yaml')
    .option('--stack <name>', 'stack to deploy from a cdk.out with several stacks')
    .addOption(stateDirOption())
    .option('--parameters <Key=Value...>', 'template parameter values')
    .option('--secrets <SecretId=Value...>', 'values of Secrets Manager secrets / NoEcho parameters the template references')
    .option('--topic-sink <Topic=FileOrUrl...>', 'where a notification topic\'s events go (a file or an http(s) URL)')
    .option('--engine-binary <path>', 'run nodes on this engine binary (e.g. /usr/bin/redis-server) instead of the bundled node')
    .action(async (spec: string, o: DeployFlags) => {
      await deploy(spec, {
        stack: o.stack,
        stateDir: o.stateDir,
        parameters: pairs(o.parameters),
        secrets: pairs(o.secrets),
        topicSinks: pairs(o.topicSink),
        engineBinary: o.engineBinary,
      });
    });

  program
    .command('destroy')
    .description('delete everything deployed from the state directory (with the final snapshot the template asks for) and stop the control plane')
    .addOption(stateDirOption())
    .option('--final-snapshot-identifier <name>', 'take a final snapshot with this name first')
    .option('--no-final-snapshot', 'skip the final snapshot the template asks for')
    .action(async (o: { stateDir: string; finalSnapshotIdentifier?: string; finalSnapshot: boolean }) => {
      await destroy({ stateDir: o.stateDir, finalSnapshotIdentifier: o.finalSnapshotIdentifier, noFinalSnapshot: !o.finalSnapshot });
    });

  program
    .command('endpoints')
    .description('print the endpoints of what is deployed')
    .addOption(stateDirOption())
    .action(async (o: Common) => {
      const r = await new ControlClient(new StateDir(o.stateDir)).op<{ state: DeployedState; caFile: string }>('state');
      process.stdout.write(endpointLines(r.state, r.caFile).join('\n') + '\n');
    });

  verb(program, 'describe-replication-groups', 'DescribeReplicationGroups')
    .option('--replication-group-id <id>')
    .action(async (o: Common & { replicationGroupId?: string }) => {
      const s = await state(o);
      const groups = Object.values(s.replicationGroups).filter((g) => [undefined, g.replicationGroupId].includes(o.replicationGroupId));
      if (o.replicationGroupId !== undefined && groups.length === 0) throw new Error(`ReplicationGroupNotFoundFault: ReplicationGroup ${o.replicationGroupId} not found.`);
      const shapes = groups.map(replicationGroupShape);
      print(o.output!, { ReplicationGroups: shapes }, shapes.map(rgRow), RG_COLUMNS);
    });

  verb(program, 'describe-cache-clusters', 'DescribeCacheClusters')
    .option('--cache-cluster-id <id>')
    .option('--show-cache-node-info', 'include CacheNodes with their endpoints')
    .action(async (o: Common & { cacheClusterId?: string; showCacheNodeInfo?: boolean }) => {
      const clusters = allClusters(await state(o), o.cacheClusterId, o.showCacheNodeInfo === true);
      if (o.cacheClusterId !== undefined && clusters.length === 0) throw new Error(`CacheClusterNotFoundFault: CacheCluster ${o.cacheClusterId} not found.`);
      print(o.output!, { CacheClusters: clusters }, clusters.map((c) => ({
        CacheClusterId: c.CacheClusterId,
        Status: c.CacheClusterStatus,
        ReplicationGroupId: c.ReplicationGroupId,
        AZ: c.PreferredAvailabilityZone,
        Parameters: c.CacheParameterGroup.ParameterApplyStatus,
        Endpoint: 'CacheNodes' in c && c.CacheNodes ? `${c.CacheNodes[0].Endpoint?.Address}:${c.CacheNodes[0].Endpoint?.Port}` : undefined,
      })), ['CacheClusterId', 'Status', 'ReplicationGroupId', 'AZ', 'Parameters', ...(o.showCacheNodeInfo ? ['Endpoint'] : [])]);
    });

  verb(program, 'test-failover', 'TestFailover')
    .requiredOption('--replication-group-id <id>')
    .requiredOption('--node-group-id <id>')
    .action(async (o: Common & { replicationGroupId: string; nodeGroupId: string }) => {
      printGroup(o, await op(o, 'test-failover', { replicationGroupId: o.replicationGroupId, nodeGroupId: o.nodeGroupId }));
    });

  for (const name of ['increase-replica-count', 'decrease-replica-count']) {
    verb(program, name, name === 'increase-replica-count' ? 'IncreaseReplicaCount' : 'DecreaseReplicaCount')
      .requiredOption('--replication-group-id <id>')
      .requiredOption('--new-replica-count <n>')
      .option('--apply-immediately', 'required by the API; changes are always applied immediately')
      .option('--no-apply-immediately')
      .action(async (o: Common & { replicationGroupId: string; newReplicaCount: string; applyImmediately?: boolean }) => {
        if (o.applyImmediately === false) throw new Error('InvalidParameterValueException: ApplyImmediately must be true for replica count changes.');
        printGroup(o, await op(o, name, { replicationGroupId: o.replicationGroupId, newReplicaCount: o.newReplicaCount }));
      });
  }

  verb(program, 'reboot-cache-cluster', 'RebootCacheCluster')
    .requiredOption('--cache-cluster-id <id>')
    .option('--cache-node-ids-to-reboot <ids...>', 'cache node ids (0001)')
    .action(async (o: Common & { cacheClusterId: string }) => {
      const r = await op<{ group: DeployedReplicationGroup }>(o, 'reboot-cache-cluster', { cacheClusterId: o.cacheClusterId });
      const [c] = allClusters({ replicationGroups: { [r.group.replicationGroupId]: r.group } } as unknown as DeployedState, o.cacheClusterId, false);
      print(o.output!, { CacheCluster: c }, [{ CacheClusterId: c.CacheClusterId, Status: c.CacheClusterStatus, Parameters: c.CacheParameterGroup.ParameterApplyStatus }], ['CacheClusterId', 'Status', 'Parameters']);
    });

  verb(program, 'create-snapshot', 'CreateSnapshot')
    .option('--replication-group-id <id>')
    .option('--cache-cluster-id <id>')
    .requiredOption('--snapshot-name <name>')
    .action(async (o: Common & { replicationGroupId?: string; cacheClusterId?: string; snapshotName: string }) => {
      printSnapshot(o, await op(o, 'create-snapshot', { replicationGroupId: o.replicationGroupId, cacheClusterId: o.cacheClusterId, snapshotName: o.snapshotName }));
    });

  verb(program, 'describe-snapshots', 'DescribeSnapshots')
    .option('--replication-group-id <id>')
    .option('--snapshot-name <name>')
    .option('--snapshot-source <source>', 'manual or automated')
    .action(async (o: Common & { replicationGroupId?: string; snapshotName?: string; snapshotSource?: string }) => {
      const snaps = (await state(o)).snapshots.filter((s) => [undefined, s.replicationGroupId].includes(o.replicationGroupId)
        && [undefined, s.snapshotName].includes(o.snapshotName) && [undefined, s.snapshotSource as string].includes(o.snapshotSource));
      if (o.snapshotName !== undefined && snaps.length === 0) throw new Error(`SnapshotNotFoundFault: Snapshot ${o.snapshotName} not found.`);
      const shapes = snaps.map(snapshotShape);
      print(o.output!, { Snapshots: shapes }, shapes.map(snapRow), SNAP_COLUMNS);
    });

  verb(program, 'copy-snapshot', 'CopySnapshot (a target bucket is a local folder)')
    .requiredOption('--source-snapshot-name <name>')
    .requiredOption('--target-snapshot-name <name>')
    .option('--target-bucket <bucket>', 'export the RDB file to this bucket (a folder under the buckets dir, or an absolute path)')
    .action(async (o: Common & { sourceSnapshotName: string; targetSnapshotName: string; targetBucket?: string }) => {
      printSnapshot(o, await op(o, 'copy-snapshot', { sourceSnapshotName: o.sourceSnapshotName, targetSnapshotName: o.targetSnapshotName, targetBucket: o.targetBucket }));
    });

  verb(program, 'delete-snapshot', 'DeleteSnapshot')
    .requiredOption('--snapshot-name <name>')
    .action(async (o: Common & { snapshotName: string }) => {
      printSnapshot(o, await op(o, 'delete-snapshot', { snapshotName: o.snapshotName }));
    });

  verb(program, 'describe-events', 'DescribeEvents')
    .option('--source-identifier <id>')
    .option('--source-type <type>')
    .option('--duration <minutes>', 'events of the last N minutes (default 60)')
    .option('--start-time <iso>')
    .option('--end-time <iso>')
    .option('--max-records <n>', '20-100 (default 100)')
    .action(async (o: EventFlags) => {
      const start = o.startTime ? Date.parse(o.startTime) : Date.now() - Number(o.duration ?? 60) * 60000;
      const end = o.endTime ? Date.parse(o.endTime) : Infinity;
      const events = (await state(o)).events
        .filter((e) => [undefined, e.sourceIdentifier].includes(o.sourceIdentifier) && [undefined, e.sourceType as string].includes(o.sourceType))
        .filter((e) => Date.parse(e.date) >= start && Date.parse(e.date) <= end)
        .reverse()
        .slice(0, Number(o.maxRecords ?? 100))
        .map(eventShape);
      print(o.output!, { Events: events }, events, ['Date', 'SourceType', 'SourceIdentifier', 'Message']);
    });

  verb(program, 'describe-cache-parameters', 'DescribeCacheParameters')
    .requiredOption('--cache-parameter-group-name <name>')
    .option('--source <source>', 'user, system or engine-default')
    .action(async (o: Common & { cacheParameterGroupName: string; source?: string }) => {
      const s = await state(o);
      const name = o.cacheParameterGroupName;
      const custom = s.parameterGroups[name];
      const family = custom?.family ?? /^default\.(.+?)(\.cluster\.on)?$/.exec(name)?.[1];
      const { familyParameters } = await import('#model/parameters/index');
      const defs = family !== undefined ? familyParameters(family) : undefined;
      if (!defs) throw new Error(`CacheParameterGroupNotFoundFault: CacheParameterGroup ${name} not found.`);
      const params = [...defs.values()].map((d) => {
        const set = custom?.parameters[d.name];
        return {
          ParameterName: d.name,
          ParameterValue: set ?? d.default,
          Description: d.description,
          Source: set !== undefined ? 'user' : 'system',
          DataType: d.type,
          AllowedValues: d.allowedValues?.join(',') ?? (d.min !== undefined || d.max !== undefined ? `${d.min ?? ''}-${d.max ?? ''}` : undefined),
          IsModifiable: d.modifiable,
          MinimumEngineVersion: d.since ?? '',
          ChangeType: isDynamic(d.name) ? 'immediate' : 'requires-reboot',
        };
      }).filter((p) => o.source === undefined || p.Source === o.source || (o.source === 'engine-default' && p.Source === 'system'));
      print(o.output!, { Parameters: params }, params, ['ParameterName', 'ParameterValue', 'Source', 'ChangeType', 'IsModifiable']);
    });

  verb(program, 'modify-cache-parameter-group', 'ModifyCacheParameterGroup')
    .requiredOption('--cache-parameter-group-name <name>')
    .requiredOption('--parameter-name-values <ParameterName=x,ParameterValue=y...>', 'as the AWS CLI takes them')
    .action(async (o: Common & { cacheParameterGroupName: string; parameterNameValues: string[] }) => {
      const values: Record<string, string> = {};
      for (const item of o.parameterNameValues) {
        const m = /^ParameterName=([^,]+),ParameterValue=(.*)$/.exec(item);
        if (!m) throw new Error(`expected ParameterName=NAME,ParameterValue=VALUE, got '${item}'`);
        values[m[1]] = m[2];
      }
      const r = await op<{ CacheParameterGroupName: string }>(o, 'modify-cache-parameter-group', { cacheParameterGroupName: o.cacheParameterGroupName, parameterNameValues: values });
      print(o.output!, r, [r], ['CacheParameterGroupName']);
    });

  verb(program, 'describe-users', 'DescribeUsers')
    .option('--user-id <id>')
    .action(async (o: Common & { userId?: string }) => {
      const users = Object.values((await state(o)).users).filter((u) => o.userId === undefined || u.userId === o.userId).map(userShape);
      print(o.output!, { Users: users }, users.map((u) => ({ ...u, UserGroupIds: u.UserGroupIds.join(','), Authentication: u.Authentication.Type })),
        ['UserId', 'UserName', 'Status', 'Engine', 'Authentication', 'UserGroupIds', 'AccessString']);
    });

  verb(program, 'describe-user-groups', 'DescribeUserGroups')
    .option('--user-group-id <id>')
    .action(async (o: Common & { userGroupId?: string }) => {
      const groups = Object.values((await state(o)).userGroups).filter((g) => [undefined, g.userGroupId].includes(o.userGroupId)).map(userGroupShape);
      print(o.output!, { UserGroups: groups }, groups.map((g) => ({ ...g, UserIds: g.UserIds.join(','), ReplicationGroups: g.ReplicationGroups.join(',') })),
        ['UserGroupId', 'Status', 'Engine', 'UserIds', 'ReplicationGroups']);
    });

  program
    .command('control-plane', { hidden: true })
    .description('run the control plane of a state directory in the foreground (the CLI starts it in the background)')
    .addOption(stateDirOption())
    .option('--engine-binary <path>')
    .action(async (o: { stateDir: string; engineBinary?: string }) => {
      // Loaded on demand: the node-forge and control-plane code stay out of the other commands' start-up.
      const { runDaemon } = await import('../daemon/daemon.js');
      await runDaemon(o.stateDir, o.engineBinary);
    });
}
