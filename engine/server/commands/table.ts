import type { CommandSpec } from './command';

/**
 * The command table: every command the node knows, by lower-case name. Each data-type module
 * contributes its commands; COMMAND, ACL and (later) cluster routing read it.
 */
export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();

  public register(specs: readonly CommandSpec[]): void {
    for (const s of specs) this.byName.set(s.name, s);
  }

  public get(name: string): CommandSpec | undefined {
    return this.byName.get(name);
  }

  public all(): IterableIterator<CommandSpec> {
    return this.byName.values();
  }

  public get size(): number {
    return this.byName.size;
  }
}
