import { GlobalDatastoreDesired, GlobalDatastoreMember } from '../model';
import { PropertyReader } from '../properties';

export function readGlobalDatastore(p: PropertyReader): GlobalDatastoreDesired {
  p.required('Members');
  const members: GlobalDatastoreMember[] = [];
  (p.objects('Members') ?? []).forEach((m, i) => {
    const r = p.nested(m, `Members[${i}]`);
    const role = (r.string(`Members[${i}].Role`) ?? 'PRIMARY').toUpperCase();
    members.push({
      replicationGroupId: (r.string(`Members[${i}].ReplicationGroupId`) ?? '').toLowerCase(),
      region: r.string(`Members[${i}].ReplicationGroupRegion`),
      role: role === 'SECONDARY' ? 'SECONDARY' : 'PRIMARY',
    });
  });
  return {
    origin: p.origin,
    globalReplicationGroupIdSuffix: p.string('GlobalReplicationGroupIdSuffix'),
    description: p.string('GlobalReplicationGroupDescription'),
    members,
    engine: p.string('Engine'),
    engineVersion: p.string('EngineVersion'),
    nodeType: p.string('CacheNodeType'),
    parameterGroupName: p.string('CacheParameterGroupName'),
    automaticFailover: p.boolean('AutomaticFailoverEnabled'),
    globalNodeGroupCount: p.number('GlobalNodeGroupCount'),
  };
}
