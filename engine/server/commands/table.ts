import type { CommandSpec } from './command';

/**
 * The command table: every command the node knows, by lower-case name. Each data-type module
 * contributes its commands; COMMAND, ACL and (later) cluster routing read it.
 */
export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  /** Names as clients spell them (`GET`, `Get`) → spec, so dispatch skips lower-casing; only known commands. */
  private readonly bySpelling = new Map<string, CommandSpec>();

  public register(specs: readonly CommandSpec[]): void {
    for (const s of specs) this.byName.set(s.name, s);
  }

  public get(name: string): CommandSpec | undefined {
    return this.byName.get(name);
  }

  /** Looks a command up by its name as sent, in any letter case. */
  public lookup(sent: string): CommandSpec | undefined {
    const hit = this.bySpelling.get(sent);
    if (hit !== undefined) return hit;
    const spec = this.byName.get(sent.toLowerCase());
    // Remember known spellings only, and not without bound (mixed-case variants are finite but many).
    if (spec !== undefined && this.bySpelling.size < 4096) this.bySpelling.set(sent, spec);
    return spec;
  }

  public all(): IterableIterator<CommandSpec> {
    return this.byName.values();
  }

  public get size(): number {
    return this.byName.size;
  }
}
