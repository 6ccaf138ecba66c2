// The pure-JS certificate parser (model/certificates.ts) against node:crypto's
// X509Certificate, which the Node build used before: on real certificates made by openssl here,
// every field the rules and the hover read must come out the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseCertificate, type CertificateInfo } from '../../server/src/model/certificates';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x509-parity-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

interface Made {
  key: 'ec' | 'rsa' | 'ed25519';
  subject: string;
  san?: string;
  /** openssl ca dates (YYYYMMDDHHMMSSZ); without them, `req -x509` for a day from now. */
  dates?: [string, string];
  serial?: string;
}

let counter = 0;
function make(m: Made): Buffer {
  const n = ++counter;
  const key = `k${n}.pem`;
  const keyArgs =
    m.key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : m.key === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ed25519'];
  const ext = m.san ? ['-addext', `subjectAltName=${m.san}`] : [];
  if (!m.dates) {
    openssl([
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      key,
      '-out',
      `c${n}.pem`,
      '-subj',
      m.subject,
      '-days',
      '1',
      ...ext,
      ...(m.serial ? ['-set_serial', m.serial] : []),
    ]);
  } else {
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'serial'), (m.serial ?? '1000') + '\n');
    fs.writeFileSync(
      path.join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca=d',
        '[d]',
        `database=${dir}/index.txt`,
        `new_certs_dir=${dir}`,
        `serial=${dir}/serial`,
        'default_md=sha256',
        'policy=p',
        'unique_subject=no',
        'copy_extensions=copy',
        '[p]',
        'commonName=optional',
        'organizationName=optional',
        'countryName=optional',
      ].join('\n'),
    );
    openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', key, '-out', `r${n}.pem`, '-subj', m.subject, ...ext]);
    openssl([
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-selfsign',
      '-keyfile',
      key,
      '-in',
      `r${n}.pem`,
      '-out',
      `c${n}.pem`,
      '-startdate',
      m.dates[0],
      '-enddate',
      m.dates[1],
      '-preserveDN',
    ]);
  }
  return openssl(['x509', '-in', `c${n}.pem`, '-outform', 'DER']);
}

/** What the Node build computed from node:crypto (the code this parser replaced). */
function nodeView(der: Buffer): CertificateInfo {
  const cert = new X509Certificate(der);
  const cn = cert.subject
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.toUpperCase().startsWith('CN='))
    .map((l) => l.slice(3));
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|URI|email|IP Address|othername:[^:]*):/i, '').trim())
    .filter(Boolean);
  return {
    subject: cert.subject,
    commonNames: cn,
    subjectAltNames: sans,
    issuer: cert.issuer,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
  };
}

function assertParity(der: Buffer): CertificateInfo {
  const parsed = parseCertificate(der.toString('base64'));
  assert.ok(parsed.ok, `parse failed: ${!parsed.ok && parsed.reason}`);
  assert.deepEqual(parsed.info, nodeView(der));
  return parsed.info;
}

test('EC key, every SAN kind the rules read (DNS, URI, email, IPv4, IPv6)', () => {
  const info = assertParity(
    make({
      key: 'ec',
      subject: '/C=US/O=Acme/CN=bot',
      san: 'DNS:bot.example.com,URI:spiffe://example.org/ns/prod/sa/bot,email:bot@example.com,IP:10.0.0.7,IP:2001:db8::1,IP:::1',
    }),
  );
  assert.equal(info.subjectAltNames.length, 6);
});

test('RSA key, no SAN, a multi-valued RDN and characters RFC 2253 escapes', () => {
  const info = assertParity(make({ key: 'rsa', subject: '/C=DE/O=Acme\\, Inc; R&D/OU=ops+CN=svc bot/emailAddress=ops@example.com' }));
  assert.deepEqual(info.subjectAltNames, []);
});

test('Ed25519 key, UTF-8 subject, a small serial with a leading zero nibble', () => {
  assertParity(make({ key: 'ed25519', subject: '/O=Zürich Ärzte/CN=agent-ü', serial: '10' }));
});

test('expired (UTCTime) and not yet valid (GeneralizedTime after 2049) certificates', () => {
  const expired = assertParity(make({ key: 'ec', subject: '/CN=old-bot', dates: ['20200101000000Z', '20200102120000Z'] }));
  assert.equal(expired.validTo.toISOString(), '2020-01-02T12:00:00.000Z');
  const future = assertParity(make({ key: 'rsa', subject: '/CN=future-bot', dates: ['20510101000000Z', '20520101000000Z'], serial: '00FF01' }));
  assert.equal(future.validFrom.toISOString(), '2051-01-01T00:00:00.000Z');
});

test('garbage is refused by both parsers', () => {
  const der = make({ key: 'ec', subject: '/CN=cut' });
  const samples = [Buffer.from('not a certificate at all'), der.subarray(0, der.length - 20), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]), Buffer.alloc(64)];
  for (const bytes of samples) {
    assert.throws(() => new X509Certificate(bytes));
    const parsed = parseCertificate(bytes.toString('base64'));
    assert.equal(parsed.ok, false, `accepted ${bytes.toString('hex').slice(0, 40)}`);
  }
});
