import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SubnetGroup } from '../src';
import { errorOf, stackWithVpc } from './helpers/stack';

test('subnet group from the private subnets by default', () => {
  const { stack, vpc } = stackWithVpc();
  const sg = new SubnetGroup(stack, 'Subnets', { vpc, subnetGroupName: 'App-Subnets', description: 'app' });
  Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
    CacheSubnetGroupName: 'app-subnets',
    Description: 'app',
    SubnetIds: vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })),
  });
  expect(stack.resolve(sg.subnetGroupName)).toEqual({ Ref: expect.stringMatching(/^Subnets/) });
});

test('isolated subnets when the VPC has no private ones', () => {
  const { stack } = stackWithVpc();
  const vpc = new ec2.Vpc(stack, 'Isolated', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new SubnetGroup(stack, 'Subnets', { vpc });
  Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
    SubnetIds: vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })),
    Description: 'Subnets for TestStack/Subnets',
  });
});

test('N3: a bad name', () => {
  const { stack, vpc } = stackWithVpc();
  expect(errorOf(() => new SubnetGroup(stack, 'Subnets', { vpc, subnetGroupName: 'no_underscores' }))).toMatch(/SubnetGroup at 'TestStack\/Subnets' is invalid.*\n.*subnetGroupName: .*\[rule N3/);
});

test('fromSubnetGroupName', () => {
  const { stack } = stackWithVpc();
  expect(SubnetGroup.fromSubnetGroupName(stack, 'S', 'shared').subnetGroupName).toBe('shared');
});
