import { Token } from 'aws-cdk-lib';

/**
 * A network endpoint of a replication group: a host name and a port.
 */
export class Endpoint {
  /** The host name, e.g. `master.my-group.abc123.use1.cache.amazonaws.com`. */
  public readonly hostname: string;
  /** The port. */
  public readonly port: number;
  /** `hostname:port`, ready for a client's connection string. */
  public readonly socketAddress: string;

  constructor(hostname: string, port: number) {
    this.hostname = hostname;
    this.port = port;
    const portDesc = Token.isUnresolved(port) ? Token.asString(port) : port;
    this.socketAddress = `${hostname}:${portDesc}`;
  }
}
