#!/usr/bin/env bash
# The test command: from a fresh clone, installs everything, builds the library, and runs every test
# (type-check, jest, eslint), then builds and checks the npm package and the Python wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 AWS_EC2_METADATA_DISABLED=true
bash scripts/setup.sh
npx projen build
