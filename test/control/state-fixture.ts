import { DeployedNodeGroup, DeployedState, emptyState } from '../../engine/control/plan';
import { DeploymentSpec, readTemplate } from '../../engine/control/spec';
import { Template } from '../../engine/control/spec/template-file';
import { memberClusterIds } from '../../src/model/topology';

/** Reads an inline template as the deploy would. */
export function specOf(template: Template, options: Parameters<typeof readTemplate>[5] = {}): DeploymentSpec {
  return readTemplate(template, { kind: 'cloudformation-json', path: 't.json', templatePath: 't.json' }, 'stack', 'us-east-1', '000000000000', { env: {}, ...options });
}

/** The state a deploy of `spec` leaves (what the control plane would record), for planner tests. */
export function deployedFrom(spec: DeploymentSpec, now = '2026-01-01T00:00:00.000Z'): DeployedState {
  const state = emptyState(spec.region, spec.accountId);
  const arn = (kind: string, id: string) => `arn:aws:elasticache:${spec.region}:${spec.accountId}:${kind}:${id}`;
  let port = 7000;
  const replicationGroups: DeployedState['replicationGroups'] = {};
  for (const rg of spec.replicationGroups) {
    const cme = rg.clusterMode === 'enabled';
    const ids = memberClusterIds(rg.replicationGroupId, cme, rg.numNodeGroups, rg.nodeGroups.map((g) => g.replicaCount));
    let next = 0;
    const nodeGroups: DeployedNodeGroup[] = rg.nodeGroups.map((ng) => ({
      nodeGroupId: ng.nodeGroupId,
      status: 'available',
      ...(cme ? { slots: ng.slots } : { primaryEndpoint: { address: '127.0.0.1', port: port++ }, readerEndpoint: { address: '127.0.0.1', port: port++ } }),
      members: Array.from({ length: 1 + ng.replicaCount }, (_, i) => ({
        cacheClusterId: ids[next++],
        cacheNodeId: '0001',
        role: i === 0 ? 'primary' : 'replica',
        status: 'available',
        nodeStatus: 'available',
        availabilityZone: rg.availabilityZones[i % rg.availabilityZones.length],
        hostId: `host-${i}`,
        endpoint: { address: `127.0.1.${i + 1}`, port: port++ },
        engineVersion: rg.engineVersion,
        nodeType: rg.nodeType,
        createTime: now,
        parameterApplyStatus: 'in-sync',
      })),
    }));
    replicationGroups[rg.replicationGroupId] = {
      spec: rg,
      replicationGroupId: rg.replicationGroupId,
      arn: arn('replicationgroup', rg.replicationGroupId),
      status: 'available',
      createTime: now,
      nodeGroups,
      ...(cme ? { configurationEndpoint: { address: '127.0.0.1', port: port++ } } : {}),
    };
  }
  return {
    ...state,
    stackName: spec.stackName,
    replicationGroups,
    parameterGroups: Object.fromEntries(spec.parameterGroups.map((g) => [g.name, { spec: g, name: g.name, family: g.family, description: g.description, parameters: { ...g.parameters }, arn: arn('parametergroup', g.name) }])),
    subnetGroups: Object.fromEntries(spec.subnetGroups.map((g) => [g.name, { spec: g, name: g.name, arn: arn('subnetgroup', g.name) }])),
    users: Object.fromEntries(spec.users.map((u) => [u.userId, { spec: u, userId: u.userId, status: 'active', arn: arn('user', u.userId), userGroupIds: spec.userGroups.filter((g) => g.userIds.includes(u.userId)).map((g) => g.userGroupId) }])),
    userGroups: Object.fromEntries(spec.userGroups.map((g) => [g.userGroupId, { spec: g, userGroupId: g.userGroupId, status: 'active', arn: arn('usergroup', g.userGroupId), replicationGroups: spec.replicationGroups.filter((r) => r.userGroupIds.includes(g.userGroupId)).map((r) => r.replicationGroupId) }])),
  };
}
