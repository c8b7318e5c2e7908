#!/usr/bin/env python3
"""The session-store example of the README as a Python CDK app: one shard of Valkey 8.1 with a
primary and two read replicas over two Availability Zones, Multi-AZ with automatic failover.

Run it with `cdk synth` where the Python jsii runtime and aws-cdk-lib are installed. Here (no
PyPI) the build runs it against the stand-ins of scripts/python-check, which checks every class,
keyword argument and enum it uses against the wheel:

    python3 scripts/python-check/check_wheel.py dist/python --run-example examples/python/app.py
"""

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from cdk_elasticache import Engine, NodeType, ReplicationGroup


class SessionStoreStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=0)

        cache = ReplicationGroup(
            self,
            "Sessions",
            vpc=vpc,
            replication_group_id="sessions",
            engine=Engine.VALKEY_8_1,
            # jsii gives constants with a digit inside a word Python names: R7G_LARGE is R7_G_LARGE.
            node_type=NodeType.R7_G_LARGE,
            replicas_per_shard=2,
        )
        # Let anything in the VPC connect on the cache port.
        cache.connections.allow_default_port_from(ec2.Peer.ipv4(vpc.vpc_cidr_block))

        cdk.CfnOutput(self, "PrimaryEndpoint", value=cache.primary_endpoint.socket_address)
        cdk.CfnOutput(self, "ReaderEndpoint", value=cache.reader_endpoint.socket_address)


app = cdk.App()
SessionStoreStack(app, "SessionStore", env=cdk.Environment(account="111111111111", region="us-east-1"))
app.synth()
