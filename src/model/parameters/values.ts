import { ParameterDefinition } from './definition';
import { RENAMABLE_COMMANDS } from './redis-layers';

/** The outcome of checking one value: an error (the value is refused) or a warning (likely mistake). */
export interface ValueCheck {
  /** Why ElastiCache would refuse the value. */
  readonly error?: string;
  /** Why the value is probably not what the user wants. */
  readonly warning?: string;
  /** What the parameter accepts, for the fix text. */
  readonly accepts: string;
}

/** The keyspace event letters ElastiCache accepts in `notify-keyspace-events`. */
export const KEYSPACE_EVENT_LETTERS = 'KEg$lshzxeA';

/** Describes what a parameter accepts, e.g. `an integer from 1 to 64` or `one of yes, no`. */
export function describeAccepted(def: ParameterDefinition): string {
  switch (def.type) {
    case 'boolean':
    case 'enum':
      return `one of ${(def.allowedValues ?? []).join(', ')}`;
    case 'integer':
      if (def.format === 'idle-timeout') return 'an integer: 0 (never) or 20 and more';
      if (def.min !== undefined && def.max !== undefined) return `an integer from ${def.min} to ${def.max}`;
      if (def.min !== undefined) return `an integer of at least ${def.min}`;
      if (def.max !== undefined) return `an integer of at most ${def.max}`;
      return 'an integer';
    case 'string':
      if (def.format === 'keyspace-events') return `a combination of the letters ${KEYSPACE_EVENT_LETTERS.split('').join(' ')} (or empty)`;
      if (def.format === 'rename-commands') return "space-separated pairs 'COMMAND new-name' of renamable commands (or empty)";
      return 'a string';
  }
}

/** Checks a (resolved) value against a parameter's definition. */
export function checkValue(def: ParameterDefinition, value: string): ValueCheck {
  const accepts = describeAccepted(def);
  const refuse = (error: string): ValueCheck => ({ error, accepts });
  switch (def.type) {
    case 'boolean':
    case 'enum':
      if (!(def.allowedValues ?? []).includes(value)) return refuse(`'${value}' is not a value of ${def.name}`);
      return { accepts };
    case 'integer': {
      if (!/^-?\d+$/.test(value)) return refuse(`'${value}' is not an integer`);
      const n = Number(value);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
        return refuse(`${value} is out of range for ${def.name}`);
      }
      if (def.format === 'idle-timeout' && n > 0 && n < 20) return refuse(`${value} seconds is too short for ${def.name}`);
      return { accepts };
    }
    case 'string':
      if (def.format === 'keyspace-events') return checkKeyspaceEvents(value, accepts);
      if (def.format === 'rename-commands') return checkRenameCommands(value, accepts);
      return { accepts };
  }
}

function checkKeyspaceEvents(value: string, accepts: string): ValueCheck {
  const bad = [...new Set(value.split('').filter((c) => !KEYSPACE_EVENT_LETTERS.includes(c)))];
  if (bad.length > 0) return { error: `'${value}' has letters ElastiCache does not accept: ${bad.map((c) => `'${c}'`).join(', ')}`, accepts };
  if (value !== '' && !value.includes('K') && !value.includes('E')) {
    return {
      warning: `'${value}' names event types but neither K (keyspace) nor E (keyevent), so no notification is ever published`,
      accepts,
    };
  }
  return { accepts };
}

function checkRenameCommands(value: string, accepts: string): ValueCheck {
  const words = value.trim() === '' ? [] : value.trim().split(/\s+/);
  if (words.length % 2 !== 0) return { error: `'${value}' is not a list of pairs (it has ${words.length} words)`, accepts };
  for (let i = 0; i < words.length; i += 2) {
    const command = words[i].toUpperCase();
    if (!RENAMABLE_COMMANDS.includes(command)) return { error: `'${words[i]}' is not a command ElastiCache lets you rename`, accepts };
  }
  return { accepts };
}
