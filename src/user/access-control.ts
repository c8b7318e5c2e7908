/**
 * What an ElastiCache user may do: the keys, channels and commands it can use, as an access
 * string in the Valkey / Redis OSS ACL rule language.
 *
 * ElastiCache sets passwords outside the access string, so password rules (`>`, `<`, `#`, `!`,
 * `nopass`, `resetpass`) and `reset` are refused; the user's constructs check the string at synth.
 *
 * @example
 * AccessControl.fromAccessString('on ~app::* -@all +@read');
 * AccessControl.readOnly('app:*');
 * AccessControl.fullAccess();
 */
export class AccessControl {
  /**
   * An access string written out, e.g. `'on ~* +@all'` or `'on ~app::* -@all +@read'`.
   *
   * @param accessString space-separated ACL rules; say `on` or the user is created disabled
   */
  public static fromAccessString(accessString: string): AccessControl {
    return new AccessControl(accessString);
  }

  /**
   * Every key, every channel and every command: `on ~* &* +@all`. For administrators.
   */
  public static fullAccess(): AccessControl {
    return new AccessControl('on ~* &* +@all');
  }

  /**
   * Every command except the administrative and dangerous ones (`FLUSHALL`, `CONFIG`, `KEYS`,
   * `DEBUG`, ...) on the keys matching `keyPattern`, and every channel:
   * `on ~<keyPattern> &* +@all -@admin -@dangerous`. A good start for an application user.
   *
   * @param keyPattern glob of the keys the user may touch (default `*`: all keys)
   */
  public static fullAccessExceptDangerous(keyPattern?: string): AccessControl {
    return new AccessControl(`on ~${keyPattern ?? '*'} &* +@all -@admin -@dangerous`);
  }

  /**
   * Read commands only, on the keys matching `keyPattern`: `on ~<keyPattern> -@all +@read`.
   *
   * @param keyPattern glob of the keys the user may read (default `*`: all keys)
   */
  public static readOnly(keyPattern?: string): AccessControl {
    return new AccessControl(`on ~${keyPattern ?? '*'} -@all +@read`);
  }

  /**
   * Read and write commands on the keys matching `keyPattern`: `on ~<keyPattern> -@all +@read +@write`.
   * Administrative, scripting, Pub/Sub and connection-management commands stay off.
   *
   * @param keyPattern glob of the keys the user may read and write (default `*`: all keys)
   */
  public static readWrite(keyPattern?: string): AccessControl {
    return new AccessControl(`on ~${keyPattern ?? '*'} -@all +@read +@write`);
  }

  /**
   * A user that cannot log in and may do nothing: `off -@all`. Use it for a replacement
   * `default` user, so a user group has its required `default` user without opening the cache.
   */
  public static disabled(): AccessControl {
    return new AccessControl('off -@all');
  }

  /** The access string, e.g. `on ~* +@all`. */
  public readonly accessString: string;

  private constructor(accessString: string) {
    this.accessString = accessString;
  }
}
