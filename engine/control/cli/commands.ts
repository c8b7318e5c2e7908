/**
 * Registers the control-plane commands on the `cdk-elasticache` program: deploy, destroy, the
 * AWS-CLI-style verbs (same names and options as `aws elasticache ...`), and the hidden
 * `control-plane` command the CLI starts in the background.
 */
import { Command, Option } from 'commander';
import { ControlClient } from './client';
import { deploy, destroy, endpointLines } from './deploy';
import { registerGlobalCommands } from './global-commands';
import {
  apiCacheCluster, apiReplicationGroup, apiSnapshot, cacheClustersTable, describeCacheClusters, describeCacheParameters, describeEvents,
  describeReplicationGroups, describeSnapshots, describeUserGroups, describeUsers, eventsTable, parametersTable, replicationGroupsTable,
  snapshotsTable, userGroupsTable, usersTable,
} from '../api';
import { parseShorthandList } from './shorthand';
import type { DeployedNode, DeployedReplicationGroup, DeployedSnapshot, DeployedState } from '../plan/types';
import { loadSecretsFile, parseParameterArgs } from '../spec/cli-options';
import { DEFAULT_STATE_DIR, StateDir } from '../state/store';

type OutputFormat = 'json' | 'table';

/** `--output json` prints the API's shape as the AWS CLI does (4-space indent); `table` a readable table. */
function print<T>(format: OutputFormat | undefined, json: T, table: (r: T) => string): void {
  process.stdout.write((format === 'json' ? JSON.stringify(json, null, 4) : table(json)) + '\n');
}

/** `--secrets file.json` (as control-spec's readers take it) or `Id=Value` pairs. */
function secretsOf(list: string[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) Object.assign(out, /^[^=]+\.json$/.test(item) ? loadSecretsFile(item) : pairs([item]));
  return out;
}

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

interface ShardConfigurationFlags {
  replicationGroupId: string;
  nodeGroupCount: string;
  nodeGroupsToRemove?: string[];
  nodeGroupsToRetain?: string[];
  applyImmediately?: boolean;
}

interface ModifyFlags {
  replicationGroupId: string;
  cacheNodeType?: string;
  engineVersion?: string;
  authToken?: string;
  authTokenUpdateStrategy?: string;
  userGroupIdsToAdd?: string[];
  applyImmediately?: boolean;
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

function printGroup(o: Common, g: DeployedReplicationGroup): void {
  const shape = apiReplicationGroup(g);
  print(o.output, { ReplicationGroup: shape }, (r) => replicationGroupsTable({ ReplicationGroups: [r.ReplicationGroup] }));
}

function printSnapshot(o: Common, s: DeployedSnapshot): void {
  const shape = apiSnapshot(s);
  print(o.output, { Snapshot: shape }, (r) => snapshotsTable({ Snapshots: [r.Snapshot] }));
}

export function registerControlCommands(program: Command): void {
  program
    .command('deploy')
    .description('bring the ElastiCache resources of a cdk.out folder or CloudFormation template (JSON/YAML) up locally')
    .argument('<spec>', 'a cdk.out folder, template.json or template.yaml')
    .option('--stack <name>', 'stack to deploy from a cdk.out with several stacks')
    .addOption(stateDirOption())
    .option('--parameters <Key=Value|file.json...>', 'template parameter values')
    .option('--secrets <file.json|SecretId=Value...>', 'values of the secrets / NoEcho parameters the template references (a JSON file of id → value)')
    .option('--topic-sink <Topic=FileOrUrl...>', 'where a notification topic\'s events go (a file or an http(s) URL)')
    .option('--engine-binary <path>', 'run nodes on this engine binary (e.g. /usr/bin/redis-server) instead of the bundled node')
    .action(async (spec: string, o: DeployFlags) => {
      await deploy(spec, {
        stack: o.stack,
        stateDir: o.stateDir,
        parameters: o.parameters ? parseParameterArgs(o.parameters) : undefined,
        secrets: secretsOf(o.secrets),
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
      print(o.output, describeReplicationGroups(await state(o), { replicationGroupId: o.replicationGroupId }), replicationGroupsTable);
    });

  verb(program, 'describe-cache-clusters', 'DescribeCacheClusters')
    .option('--cache-cluster-id <id>')
    .option('--show-cache-node-info', 'include CacheNodes with their endpoints')
    .action(async (o: Common & { cacheClusterId?: string; showCacheNodeInfo?: boolean }) => {
      const r = describeCacheClusters(await state(o), { cacheClusterId: o.cacheClusterId, showCacheNodeInfo: o.showCacheNodeInfo === true });
      print(o.output, r, cacheClustersTable);
    });

  verb(program, 'test-failover', 'TestFailover')
    .requiredOption('--replication-group-id <id>')
    .requiredOption('--node-group-id <id>')
    .action(async (o: Common & { replicationGroupId: string; nodeGroupId: string }) => {
      printGroup(o, await op(o, 'test-failover', { replicationGroupId: o.replicationGroupId, nodeGroupId: o.nodeGroupId }));
    });

  for (const name of ['increase-replica-count', 'decrease-replica-count']) {
    const v = verb(program, name, name === 'increase-replica-count' ? 'IncreaseReplicaCount' : 'DecreaseReplicaCount')
      .requiredOption('--replication-group-id <id>')
      .option('--new-replica-count <n>', 'replicas in every shard')
      .option('--replica-configuration <shards...>', 'per shard: NodeGroupId=0001,NewReplicaCount=2[,PreferredAvailabilityZones=az1,az2]');
    if (name === 'decrease-replica-count') v.option('--replicas-to-remove <ids...>', 'cache cluster ids of the replicas to remove');
    v.option('--apply-immediately', 'required by the API; changes are always applied immediately')
      .option('--no-apply-immediately')
      .action(async (o: Common & {
        replicationGroupId: string;
        newReplicaCount?: string;
        replicaConfiguration?: string[];
        replicasToRemove?: string[];
        applyImmediately?: boolean;
      }) => {
        if (o.applyImmediately === false) throw new Error('InvalidParameterValueException: ApplyImmediately must be true for replica count changes.');
        printGroup(o, await op(o, name, {
          replicationGroupId: o.replicationGroupId,
          newReplicaCount: o.newReplicaCount,
          replicaConfiguration: o.replicaConfiguration ? parseShorthandList(o.replicaConfiguration) : undefined,
          replicasToRemove: o.replicasToRemove,
        }));
      });
  }

  verb(program, 'generate-iam-auth-token', 'a local IAM auth token for a user whose authentication mode is iam (AUTH <user-id> <token>)')
    .requiredOption('--replication-group-id <id>')
    .requiredOption('--user-id <id>')
    .option('--expires-in <seconds>', 'validity, at most 900 (the service\'s 15 minutes)')
    .action(async (o: Common & { replicationGroupId: string; userId: string; expiresIn?: string }) => {
      const r = await op<{ Token: string }>(o, 'generate-iam-auth-token', { replicationGroupId: o.replicationGroupId, userId: o.userId, expiresIn: o.expiresIn });
      print(o.output, r, (x) => x.Token);
    });

  verb(program, 'modify-replication-group', 'ModifyReplicationGroup: node type, engine version (rolled node by node), AUTH token')
    .requiredOption('--replication-group-id <id>')
    .option('--cache-node-type <type>')
    .option('--engine-version <version>')
    .option('--auth-token <token>')
    .addOption(new Option('--auth-token-update-strategy <strategy>').choices(['ROTATE', 'SET', 'DELETE']))
    .option('--user-group-ids-to-add <ids...>')
    .option('--apply-immediately')
    .option('--no-apply-immediately')
    .action(async (o: Common & ModifyFlags) => {
      printGroup(o, await op(o, 'modify-replication-group', {
        replicationGroupId: o.replicationGroupId,
        cacheNodeType: o.cacheNodeType,
        engineVersion: o.engineVersion,
        authToken: o.authToken,
        authTokenUpdateStrategy: o.authTokenUpdateStrategy,
        userGroupIdsToAdd: o.userGroupIdsToAdd,
        applyImmediately: o.applyImmediately === true,
      }));
    });

  verb(program, 'modify-replication-group-shard-configuration', 'ModifyReplicationGroupShardConfiguration')
    .requiredOption('--replication-group-id <id>')
    .requiredOption('--node-group-count <n>')
    .option('--node-groups-to-remove <ids...>')
    .option('--node-groups-to-retain <ids...>')
    .option('--apply-immediately', 'required by the API')
    .option('--no-apply-immediately')
    .action(async (o: Common & ShardConfigurationFlags) => {
      printGroup(o, await op(o, 'modify-replication-group-shard-configuration', {
        replicationGroupId: o.replicationGroupId,
        nodeGroupCount: o.nodeGroupCount,
        nodeGroupsToRemove: o.nodeGroupsToRemove,
        nodeGroupsToRetain: o.nodeGroupsToRetain,
        applyImmediately: o.applyImmediately === true,
      }));
    });

  verb(program, 'reboot-cache-cluster', 'RebootCacheCluster')
    .requiredOption('--cache-cluster-id <id>')
    .option('--cache-node-ids-to-reboot <ids...>', 'cache node ids (0001)')
    .action(async (o: Common & { cacheClusterId: string }) => {
      const r = await op<{ group: DeployedReplicationGroup; node: DeployedNode; state: DeployedState }>(o, 'reboot-cache-cluster', { cacheClusterId: o.cacheClusterId });
      const shape = apiCacheCluster(r.state, r.group, r.node, false);
      print(o.output, { CacheCluster: shape }, (x) => cacheClustersTable({ CacheClusters: [x.CacheCluster] }));
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
    .option('--snapshot-source <source>', 'manual, automated or system')
    .action(async (o: Common & { replicationGroupId?: string; snapshotName?: string; snapshotSource?: 'manual' | 'automated' | 'system' }) => {
      const { replicationGroupId, snapshotName, snapshotSource } = o;
      const r = describeSnapshots(await state(o), { replicationGroupId, snapshotName, snapshotSource });
      print(o.output, r, snapshotsTable);
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
      const r = describeEvents(await state(o), {
        sourceIdentifier: o.sourceIdentifier,
        sourceType: o.sourceType,
        startTime: o.startTime,
        endTime: o.endTime,
        duration: o.duration !== undefined ? Number(o.duration) : undefined,
        maxRecords: o.maxRecords !== undefined ? Number(o.maxRecords) : undefined,
      });
      print(o.output, r, eventsTable);
    });

  verb(program, 'describe-cache-parameters', 'DescribeCacheParameters')
    .requiredOption('--cache-parameter-group-name <name>')
    .option('--source <source>', 'user, system or engine-default')
    .action(async (o: Common & { cacheParameterGroupName: string; source?: string }) => {
      const r = describeCacheParameters(await state(o), { cacheParameterGroupName: o.cacheParameterGroupName, source: o.source });
      print(o.output, r, parametersTable);
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
      print(o.output, r, (x) => x.CacheParameterGroupName);
    });

  verb(program, 'describe-users', 'DescribeUsers')
    .option('--user-id <id>')
    .option('--engine <engine>')
    .action(async (o: Common & { userId?: string; engine?: string }) => {
      print(o.output, describeUsers(await state(o), { userId: o.userId, engine: o.engine }), usersTable);
    });

  verb(program, 'describe-user-groups', 'DescribeUserGroups')
    .option('--user-group-id <id>')
    .action(async (o: Common & { userGroupId?: string }) => {
      print(o.output, describeUserGroups(await state(o), { userGroupId: o.userGroupId }), userGroupsTable);
    });

  registerGlobalCommands(program);

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

  program
    .command('endpoint-router', { hidden: true })
    .description('serve the endpoints of a state directory and restart its control plane when it dies (the control plane starts it)')
    .addOption(stateDirOption())
    .action(async (o: { stateDir: string }) => {
      const { runRouter } = await import('../endpoints/router.js');
      await runRouter(o.stateDir);
    });
}
