import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-elasticache',
  description:
    'ElastiCache for Valkey / Redis OSS as code: L2 constructs for replication groups, parameter groups, users and Global Datastores, with synth-time validation.',
  author: 'cdk-elasticache team',
  authorAddress: 'team@cdk-elasticache.dev',
  repositoryUrl: 'https://github.com/cdk-elasticache/cdk-elasticache.git',
  keywords: ['cdk', 'aws-cdk', 'elasticache', 'valkey', 'redis', 'cluster', 'global-datastore'],
  license: 'Apache-2.0',

  cdkVersion: '2.276.0',
  // cdktn 0.24 (the Terraform face) needs constructs >= 10.6.
  constructsVersion: '10.6.0',
  jsiiVersion: '~6.0.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // No GitHub here: CI is `.ci/run`, release is not automated yet.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  publishToPypi: {
    distName: 'cdk-elasticache',
    module: 'cdk_elasticache',
  },

  // ts-jest 29 supports TypeScript 5.x; Node 20 is the runtime we test on. Real clients and
  // fast-check drive the engine tests. cdktf 0.21 proves the Terraform face works in a cdktf app too.
  devDeps: ['@types/js-yaml', '@types/proper-lockfile', '@types/node-forge', 'cdktf@0.21.0', 'typescript@~5.9.0', '@types/node@^20', 'ioredis@^5', 'redis@^5', '@valkey/valkey-glide@^2', 'fast-check@^3'],
  // Runtime dependencies of the engine and CLI (not jsii modules, so bundled into the package).
  // commander: the CLI parser. wasmoon: the Lua VM of EVAL and FUNCTION (Lua 5.4 in WebAssembly, the .wasm ships
  // in the package; measured ~2x faster per call and ~13x on CPU-bound scripts than fengari's pure-JS Lua 5.3).
  // cluster-key-slot: CRC16 hash slots (the one ioredis and node-redis use). js-yaml: YAML templates for deploy.
  // proper-lockfile: the state directory's lock. node-forge: the local CA for TLS when transit encryption is on.
  bundledDeps: ['commander@^14', 'wasmoon@^1.16', 'cluster-key-slot@^1.1.2', 'js-yaml@^4.1.0', 'proper-lockfile@^4.1.2', 'node-forge@^1.3.1'],
  // The Terraform face (submodule `tf`) is built on CDK Terrain, the maintained continuation of cdktf.
  peerDeps: ['cdktn@^0.24.0'],
  bin: { 'cdk-elasticache': 'lib/engine/cli.js' },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'scripts', 'engine'] },

  jestOptions: {
    // A stale snapshot must fail CI, not be rewritten by it; `npx projen test:update` refreshes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // Examples import the package by name, as users do; in tests that is this checkout's src/.
      // The control plane imports the construct library's model as `#model/...` (package.json "imports"; compiled
      // lib/model at run time, src/model in tests).
      moduleNameMapper: { '^cdk-elasticache$': '<rootDir>/src/index.ts', '^#model/(.*)$': '<rootDir>/src/model/$1' },
      // Full-template snapshots are deterministic only if synthesis is; keep coverage off the hot path.
      collectCoverage: false,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      baseUrl: '..',
      paths: { 'cdk-elasticache': ['src/index.ts'], '#model/*': ['src/model/*'] },
    },
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts', '../engine/**/*.ts'],
  },

  gitignore: ['/node_modules', 'cdk.out', '/examples/**/cdk.out', 'cdktf.out', '/.cdk-elasticache/', 'dump.rdb', '/.tmp/', '__pycache__/', '*.pyc'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/scripts/', '/.ci/', 'cdk.out', '/.cdk-elasticache/', 'cdktf.out'] },
});

// The engine works on bits (hashes, bitmaps, encodings): bitwise operators are its vocabulary.
project.eslint?.addOverride({ files: ['engine/**/*.ts'], rules: { 'no-bitwise': 'off' } });
// Examples import the package by name, as users do (resolved through test/tsconfig.json paths).
project.eslint?.addOverride({ files: ['examples/**/*.ts'], rules: { 'import/no-unresolved': ['error', { ignore: ['^cdk-elasticache$'] }] } });

// The engine (data node, CLI) is plain TypeScript outside the jsii API: compiled on its own into lib/engine.
// The control plane validates with the same rules as the constructs: it imports src/model's compiled output through
// the subpath import `#model/*` (one copy of every rule, no second build of it).
project.package.addField('imports', { '#model/*': './lib/model/*.js' });
project.compileTask.exec('tsc -p engine/tsconfig.json && chmod +x lib/engine/cli.js');

// ts-jest does not type-check: type-check the tests, examples and benchmarks before running them.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Python bindings. jsii-pacmak cannot fetch its Python build tools here (no PyPI), so we generate
// the code only, build the wheel with the system pip offline, and import it against a stdlib
// stand-in for the jsii runtime (scripts/python-check). With CI=true projen would skip this, so
// the package task always runs every target.
const packagePython = project.tasks.tryFind('package:python') ?? project.addTask('package:python');
packagePython.reset();
packagePython.description = 'Generate the Python bindings, build the wheel offline and check it';
packagePython.exec('rm -rf dist/python && jsii-pacmak -v --target python --code-only --outdir dist');
packagePython.exec('/usr/bin/python3 -m pip wheel --isolated --no-deps --no-build-isolation --no-index -q -w dist/python dist/python');
packagePython.exec('/usr/bin/python3 scripts/python-check/check_wheel.py dist/python --run-example examples/python/app.py --run-example examples/python/terraform_app.py');

const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset();
packageAll.spawn(project.tasks.tryFind('package:js')!);
packageAll.spawn(packagePython);
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(packageAll);

project.addTask('synth:examples', {
  description: 'Synthesize the example apps into examples/*/cdk.out and examples/terraform/cdktf.out',
  exec: 'ts-node --project test/tsconfig.json scripts/synth-examples.ts',
});

project.addTask('bench:synth', {
  description: 'Benchmark: synthesize a 500-shard replication group',
  exec: 'ts-node --project test/tsconfig.json bench/synth-500-shards.ts',
});

project.addTask('bench:engine', {
  description: 'Benchmark: the bundled node against redis-server (redis-benchmark ratios, memory for 1M keys)',
  exec: 'ts-node --project test/tsconfig.json bench/engine-vs-redis.ts',
});

project.addTask('bench:snapshot', {
  description: 'Benchmark: client p99 latency, snapshot time and extra memory of a BGSAVE under write load, beside redis-server',
  exec: 'ts-node --project test/tsconfig.json bench/snapshot.ts',
});

project.addTask('bench:replication', {
  description: 'Benchmark: write throughput of a primary with two replicas (async and sync durability) and replication lag, beside redis-server',
  exec: 'ts-node --project test/tsconfig.json bench/replication.ts',
});

project.addTask('bench:cluster', {
  description: 'Benchmark: cluster mode beside redis-server (2-shard redis-benchmark --cluster ratios, shard failover time under load, resharding keys/s and client errors)',
  exec: 'ts-node --project test/tsconfig.json bench/cluster.ts',
});

project.addTask('bench:large-cluster', {
  description: 'Benchmark: deploy a 30-shard x 1-replica cluster-mode group locally (time to available, RSS, redis-cli --cluster check)',
  exec: 'ts-node --project test/tsconfig.json bench/large-cluster-deploy.ts',
});

project.addTask('bench:deploy', {
  description: 'Benchmark: deploy to available, failover time (kill -9 to the first write through the primary endpoint), writes lost, endpoint/direct throughput',
  exec: 'ts-node --project test/tsconfig.json bench/deploy-failover.ts',
});
project.addTask('bench:endpoint', {
  description: 'Benchmark: throughput through the primary endpoint against direct-to-node (interleaved rounds, best of N)',
  exec: 'ts-node --project test/tsconfig.json bench/endpoint-throughput.ts',
});

project.synth();
