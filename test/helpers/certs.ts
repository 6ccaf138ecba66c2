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
