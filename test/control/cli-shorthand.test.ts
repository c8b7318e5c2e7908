import { parseShorthandList } from '../../engine/control/cli/shorthand';

// The AWS CLI's shorthand for --replica-configuration, and its JSON form.
test('shorthand structures: lists by trailing items or brackets, one structure per argument, JSON', () => {
  expect(parseShorthandList(['NodeGroupId=0001,NewReplicaCount=2,PreferredAvailabilityZones=us-east-1a,us-east-1b', 'NodeGroupId=0002,NewReplicaCount=0'])).toEqual([
    { nodeGroupId: '0001', newReplicaCount: '2', preferredAvailabilityZones: ['us-east-1a', 'us-east-1b'] },
    { nodeGroupId: '0002', newReplicaCount: '0' },
  ]);
  expect(parseShorthandList(['NodeGroupId=0003,PreferredAvailabilityZones=[us-east-1c],NewReplicaCount=1'])).toEqual([
    { nodeGroupId: '0003', preferredAvailabilityZones: ['us-east-1c'], newReplicaCount: '1' },
  ]);
  expect(parseShorthandList(['[{"NodeGroupId":"0001","NewReplicaCount":3,"PreferredAvailabilityZones":["a"]}]'])).toEqual([
    { nodeGroupId: '0001', newReplicaCount: 3, preferredAvailabilityZones: ['a'] },
  ]);
  expect(() => parseShorthandList(['0001'])).toThrow(/Key=Value/);
});
