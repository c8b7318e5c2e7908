/**
 * The local certificate authority for transit encryption: one CA per state directory
 * (`tls/ca.crt`, the file clients trust), and a certificate per node whose names cover the node's
 * own address and its group's endpoints (the endpoint proxies pass TLS through untouched).
 * Keys come from Node's crypto (native, fast); node-forge builds and signs the X.509 certificates.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as forge from 'node-forge';
import { writeFileAtomic } from '../state/store';

export interface CertFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

type KeyPair = { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string };

function toForge(pem: string): KeyPair {
  const fk = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: fk, publicKey: forge.pki.setRsaPublicKey(fk.n, fk.e), pem };
}

function newKeyPairSync(): KeyPair {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return toForge(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

/** Off the event loop: the control plane's endpoint proxies share it. */
function newKeyPair(): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, privateKey) => {
      if (err) reject(err);
      else resolve(toForge(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()));
    });
  });
}

function serial(): string {
  return '01' + crypto.randomBytes(15).toString('hex');
}

export class LocalCa {
  constructor(private readonly dir: string) {}

  get caFile(): string { return path.join(this.dir, 'ca.crt'); }
  private get caKeyFile(): string { return path.join(this.dir, 'ca.key'); }

  /** Creates the CA on first use. */
  ensure(): void {
    if (fs.existsSync(this.caFile) && fs.existsSync(this.caKeyFile)) return;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const keys = newKeyPairSync();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86400_000);
    const attrs = [{ name: 'commonName', value: 'cdk-elasticache local CA' }, { name: 'organizationName', value: 'cdk-elasticache' }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    writeFileAtomic(this.caKeyFile, keys.pem, 0o600);
    writeFileAtomic(this.caFile, forge.pki.certificateToPem(cert));
  }

  /**
   * A server certificate for `names` (IP addresses or DNS names) in `dir`: the one already there
   * when it was issued for the same names (a node replaced in place keeps its certificate), else
   * a new one.
   */
  async issue(dir: string, commonName: string, names: readonly string[]): Promise<CertFiles> {
    this.ensure();
    const files = { cert: path.join(dir, 'node.crt'), key: path.join(dir, 'node.key'), ca: this.caFile };
    const namesFile = path.join(dir, 'node.names');
    const wanted = [...new Set(names)].sort().join(',');
    try {
      if (fs.readFileSync(namesFile, 'utf8') === wanted && fs.existsSync(files.cert) && fs.existsSync(files.key)) return files;
    } catch {
      /* not issued yet */
    }
    const keys = await newKeyPair();
    const caCert = forge.pki.certificateFromPem(fs.readFileSync(this.caFile, 'utf8'));
    const caKey = forge.pki.privateKeyFromPem(fs.readFileSync(this.caKeyFile, 'utf8'));
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
    cert.setSubject([{ name: 'commonName', value: commonName }]);
    cert.setIssuer(caCert.subject.attributes);
    const altNames = [...new Set(names)].map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n }));
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames },
    ]);
    cert.sign(caKey, forge.md.sha256.create());
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(files.key, keys.pem, 0o600);
    writeFileAtomic(files.cert, forge.pki.certificateToPem(cert));
    writeFileAtomic(namesFile, wanted);
    return files;
  }
}
