#!/usr/bin/env python3
"""The Terraform face from Python: a CDK Terrain (cdktn) app with a cluster-mode-enabled Valkey
group and a parameter group, from `cdk_elasticache.tf`.

Run it with `cdktn synth` where the Python jsii runtime and cdktn are installed. Here (no PyPI)
the build runs it against the stand-ins of scripts/python-check:

    python3 scripts/python-check/check_wheel.py dist/python --run-example examples/python/terraform_app.py
"""

from cdktn import App, TerraformOutput, TerraformStack
from constructs import Construct

from cdk_elasticache import ClusterMode, Engine, tf


class LeaderboardStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        parameters = tf.ParameterGroup(
            self,
            "Parameters",
            engine=Engine.VALKEY_8_1,
            cluster_mode=ClusterMode.ENABLED,
            parameters={"maxmemory-policy": "allkeys-lru"},
        )
        cache = tf.ReplicationGroup(
            self,
            "Leaderboard",
            subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            cluster_mode=ClusterMode.ENABLED,
            shards=3,
            parameter_group=parameters,
            backup_retention_days=7,
            log_delivery=tf.LogDeliveryOptions(slow_log=tf.LogDestination.cloud_watch_logs("/cache/slow")),
        )
        TerraformOutput(self, "endpoint", value=cache.configuration_endpoint.socket_address)


app = App()
LeaderboardStack(app, "leaderboard")
app.synth()
