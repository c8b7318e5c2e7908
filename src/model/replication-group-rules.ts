import { parameterGroupFamily, parseVersion } from './engine-versions';
import { validateDescription, validateReplicationGroupId, validateSnapshotName } from './names';
import {
  validateAutomaticFailoverNodeType,
  validateBackupNodeType,
  validateDataTiering,
  validateMultiAzNodeType,
  validateNetworkTypeSupport,
  validateNodeType,
  validateNodeTypeEngine,
} from './node-types';
import { validateClusterModeParameterGroup, validateDataTieringPolicy, validateFamilyMatchesEngine } from './parameters/rules';
import { ReplicationGroupSpec, validateReplicationGroupCore } from './replication-group';
import { isKnown, RuleContext, violation, Violation } from './violation';
import { validateMaintenanceWindow, validateSnapshotRetentionLimit, validateSnapshotWindow, validateWindowsDoNotOverlap } from './windows';

/**
 * Every synth-time rule of a replication group, in one call: the CDK construct, the Terraform
 * construct and the deploy handler all validate through here.
 */
export function validateReplicationGroupRules(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  const cme = spec.clusterMode === 'enabled';
  const clusterEnabledGroup = spec.clusterMode !== 'disabled';
  const pg = spec.parameterGroup;
  const engineFamily = parseVersion(spec.engineVersion) && (spec.engine === 'valkey' || spec.engine === 'redis')
    ? parameterGroupFamily(spec.engine, spec.engineVersion)
    : undefined;
  const out: Violation[] = [
    ...validateReplicationGroupCore(spec, ctx),
    ...validateReplicationGroupId(spec.replicationGroupId, ctx),
    ...validateDescription(spec.description, ctx),
    ...validateSnapshotName(spec.finalSnapshotName, ctx, 'finalSnapshotName'),
    ...validateSnapshotName(spec.snapshotName, ctx, 'restoreFrom'),
    ...validateSnapshotRetentionLimit(spec.snapshotRetentionLimit, ctx, 'backupRetention'),
    ...validateSnapshotWindow(spec.snapshotWindow, ctx, 'preferredBackupWindow'),
    ...validateMaintenanceWindow(spec.maintenanceWindow, ctx, 'preferredMaintenanceWindow'),
    ...validateWindowsDoNotOverlap(spec.snapshotWindow, spec.maintenanceWindow, ctx, 'preferredBackupWindow'),
  ];
  if (!spec.globalSecondary) {
    out.push(
      ...validateNodeType(spec.nodeType, ctx),
      ...validateNodeTypeEngine(spec.nodeType, spec.engine, spec.engineVersion, ctx),
      ...validateDataTiering(spec.nodeType, spec.dataTiering, ctx),
      ...validateMultiAzNodeType(spec.nodeType, spec.multiAz, ctx),
      ...validateAutomaticFailoverNodeType(spec.nodeType, spec.automaticFailover, cme, ctx),
      ...validateNetworkTypeSupport(spec.nodeType, spec.networkType, spec.engine, spec.engineVersion, ctx),
      ...validateBackupNodeType(spec.nodeType, (spec.snapshotRetentionLimit ?? 0) > 0 || spec.snapshotName !== undefined, ctx, 'backupRetention'),
    );
    if (pg) {
      out.push(
        ...validateClusterModeParameterGroup({
          clusterModeEnabled: clusterEnabledGroup,
          groupClusterEnabled: pg.clusterEnabled,
          groupName: isKnown(ctx, pg.name) ? pg.name : undefined,
          family: engineFamily,
        }),
        ...validateFamilyMatchesEngine(pg.family, engineFamily, ctx),
      );
      const parameters = pg.parameters ?? {};
      if (spec.dataTiering) {
        out.push(...validateDataTieringPolicy(parameters['maxmemory-policy'], ctx));
      }
      if (spec.multiAz && parameters.appendonly === 'yes') {
        out.push(violation('H3', 'Multi-AZ and append-only files exclude each other', 'multiAz', 'multiAz is true but the parameter group sets appendonly yes', "set multiAz: false, or remove 'appendonly' from the parameter group"));
      }
    }
  }
  return out;
}
