import * as path from 'path';

/**
 * Lets `import ... from 'cdk-elasticache'` in the examples resolve to this checkout's compiled
 * library (lib/index.js), the way it resolves to node_modules in a user's app.
 */
export function aliasPackageToLib(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module');
  const original = Module._resolveFilename;
  const target = path.join(__dirname, '..', 'lib', 'index.js');
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'cdk-elasticache') return target;
    return original.call(this, request, ...rest);
  };
}
