import { Endpoint } from '../endpoint';

/**
 * The endpoints of a replication group, as both faces expose them: a configuration endpoint with
 * cluster mode enabled, else a primary and a reader endpoint; asking for the other kind throws.
 */
export class ReplicationGroupEndpoints {
  private readonly primary?: Endpoint;
  private readonly reader?: Endpoint;
  private readonly configuration?: Endpoint;

  /**
   * @param path the group's construct path, for the error
   * @param clusterModeEnabled which kind of endpoints the group has
   * @param port the port of every node
   * @param address the address attribute of each kind, read only for the kinds that exist
   */
  constructor(
    private readonly path: string,
    clusterModeEnabled: boolean,
    port: number,
    address: (kind: 'configuration' | 'primary' | 'reader') => string,
  ) {
    if (clusterModeEnabled) {
      this.configuration = new Endpoint(address('configuration'), port);
    } else {
      this.primary = new Endpoint(address('primary'), port);
      this.reader = new Endpoint(address('reader'), port);
    }
  }

  public get primaryEndpoint(): Endpoint {
    return this.orThrow(this.primary, 'primaryEndpoint', 'configurationEndpoint');
  }

  public get readerEndpoint(): Endpoint {
    return this.orThrow(this.reader, 'readerEndpoint', 'configurationEndpoint');
  }

  public get configurationEndpoint(): Endpoint {
    return this.orThrow(this.configuration, 'configurationEndpoint', 'primaryEndpoint / readerEndpoint');
  }

  private orThrow(e: Endpoint | undefined, name: string, instead: string): Endpoint {
    if (!e) throw new Error(`${name} of '${this.path}' does not exist for this cluster mode; use ${instead}`);
    return e;
  }
}
