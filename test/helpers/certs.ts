import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real X.509 certificate made with openssl for the test, as base64 DER, valid from now for
 * `days`. Expiry is tested by linting with a `now` past its end, not by forging dates.
 */
export function makeCertificate(options: { cn: string; san?: string; days?: number }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-cert-'));
  try {
    const key = path.join(dir, 'k.pem');
    const csr = path.join(dir, 'r.csr');
    const pem = path.join(dir, 'c.pem');
    execFileSync(
      'openssl',
      ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${options.cn}`],
      { stdio: 'ignore' },
    );
    const ext = path.join(dir, 'ext.cnf');
    fs.writeFileSync(ext, options.san ? `subjectAltName=${options.san}\n` : '\n');
    const args = ['x509', '-req', '-in', csr, '-signkey', key, '-out', pem, '-extfile', ext];
    args.push('-days', String(options.days ?? 3650));
    execFileSync('openssl', args, { stdio: 'ignore' });
    const der = execFileSync('openssl', ['x509', '-in', pem, '-outform', 'der']);
    return der.toString('base64');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A self-signed certificate and key for 127.0.0.1 (SAN IP:127.0.0.1), as PEM files in `dir`, for
 * a local https server that Node's trust store refuses unless told of it (NODE_EXTRA_CA_CERTS).
 */
export function makeLoopbackTlsFiles(dir: string): { keyFile: string; certFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}
