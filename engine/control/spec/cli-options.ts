import * as fs from 'fs';

/**
 * Helpers for the CLI's spec options: `--parameters Key=Value ...` or a JSON file (either
 * `{"Key": "Value"}` or CloudFormation's `[{"ParameterKey": ..., "ParameterValue": ...}]`), and
 * `--secrets file.json` (`{"secret-id": "value", "secret-id:json-key": "value"}`).
 */
export function parseParameterArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    if (arg.endsWith('.json') && !arg.includes('=')) {
      Object.assign(out, loadParametersFile(arg));
      continue;
    }
    // AWS CLI shorthand too: ParameterKey=K,ParameterValue=V
    const short = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(arg);
    if (short) {
      out[short[1]] = short[2];
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new Error(`--parameters takes Key=Value or a JSON file, got '${arg}'`);
    out[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return out;
}

export function loadParametersFile(file: string): Record<string, string> {
  const data = readJson(file, '--parameters');
  if (Array.isArray(data)) {
    const out: Record<string, string> = {};
    for (const p of data as Array<{ ParameterKey?: unknown; ParameterValue?: unknown }>) {
      if (typeof p?.ParameterKey !== 'string') throw new Error(`${file}: every entry needs a ParameterKey`);
      out[p.ParameterKey] = String(p.ParameterValue ?? '');
    }
    return out;
  }
  return stringMap(data, file, '--parameters');
}

export function loadSecretsFile(file: string): Record<string, string> {
  const data = readJson(file, '--secrets');
  const out: Record<string, string> = {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${file}: --secrets takes a JSON object {"secret-id": "value"}`);
  for (const [k, v] of Object.entries(data)) {
    // A JSON object value stands for a JSON secret (read with its keys).
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function readJson(file: string, option: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${option}: cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${option}: ${file} is not valid JSON (${(e as Error).message})`);
  }
}

function stringMap(data: unknown, file: string, option: string): Record<string, string> {
  if (typeof data !== 'object' || data === null) throw new Error(`${file}: ${option} takes a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}
