#!/usr/bin/env bash
# The main job: from a fresh clone, installs everything, compiles the library, synthesizes the example apps
# (examples/typescript -> examples/typescript/cdk.out), then brings the SessionStore stack up locally on the
# bundled engine (a primary and two replicas behind primary and reader endpoints, TLS) and checks it with redis-cli.
# The group keeps running: `node lib/engine/cli.js destroy --state-dir .cdk-elasticache` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 AWS_EC2_METADATA_DISABLED=true
bash scripts/setup.sh
npx projen compile
npx projen synth:examples

state=.cdk-elasticache
echo
node lib/engine/cli.js deploy examples/typescript/cdk.out --stack SessionStore --state-dir "$state"
echo
primary=$(node lib/engine/cli.js describe-replication-groups --state-dir "$state" --output json \
  | node -e 'const g=JSON.parse(require("fs").readFileSync(0,"utf8")).ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint; console.log(g.Address+" "+g.Port)')
set -- $primary
cli=(redis-cli --tls --cacert "$state/tls/ca.crt" -h "$1" -p "$2")
echo "redis-cli through the primary endpoint $1:$2: SET greeting -> $("${cli[@]}" SET greeting hello), GET greeting -> $("${cli[@]}" GET greeting)"
echo "Try: node lib/engine/cli.js test-failover --replication-group-id sessions --node-group-id 0001 --state-dir $state"
echo "Stop: node lib/engine/cli.js destroy --state-dir $state"
