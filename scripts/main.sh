#!/usr/bin/env bash
# The main job: from a fresh clone, installs everything, compiles the library and synthesizes the
# example apps (examples/typescript -> examples/typescript/cdk.out), then summarizes what they declare.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 AWS_EC2_METADATA_DISABLED=true
bash scripts/setup.sh
npx projen compile
npx projen synth:examples
