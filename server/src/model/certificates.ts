import { trimEndChar } from '../util/strings';
import type { Certificate } from '@peculiar/asn1-x509';
import type * as X509 from './x509';
import { sha256 } from '@noble/hashes/sha2.js';
import { formatName, generalNameValue, hexColons, serialHex } from './x509Text';

// Pure JS (no node:crypto) so the same rules run in the browser language server; the text it
// produces is node:crypto's X509Certificate text (test/unit/x509Parity.test.ts checks both agree).

export interface CertificateInfo {
  subject: string;
  commonNames: string[];
  /** SAN entries without their type prefix (DNS:, URI:, email:, IP Address:). */
  subjectAltNames: string[];
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  serialNumber: string;
}

export type CertificateParse = { ok: true; info: CertificateInfo } | { ok: false; reason: string };

const cache = new Map<string, CertificateParse>();
let x509Module: typeof X509 | undefined;

/** The ASN.1 decoder, loaded on the first certificate (its own file in the Node bundles, see ./x509.ts). */
function x509(): typeof X509 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, so a start without certificates does not load it
  return (x509Module ??= require('./x509') as typeof X509);
}
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads `x509Certificates[].value`: base64 (RFC 4648 §4) of one DER certificate. */
export function parseCertificate(value: string): CertificateParse {
  const known = cache.get(value);
  if (known) return known;
  const result = parseUncached(value);
  if (cache.size > 1000) cache.clear();
  cache.set(value, result);
  return result;
}

function parseUncached(value: string): CertificateParse {
  const compact = value.replace(/\s+/g, '');
  if (/-----BEGIN/.test(value)) {
    return { ok: false, reason: 'this is PEM text; SCIM wants the base64 of the DER bytes only, without the BEGIN/END lines' };
  }
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    return { ok: false, reason: 'the value is not base64 (RFC 4648 §4)' };
  }
  // Outside the try: a decoder that cannot be loaded is a broken install, not a bad certificate.
  const { AsnConvert, Certificate } = x509();
  try {
    const der = base64Bytes(compact);
    const cert = AsnConvert.parse(der, Certificate);
    const tbs = cert.tbsCertificate;
    const subject = formatName(tbs.subject);
    return {
      ok: true,
      info: {
        subject,
        commonNames: fieldValues(subject, 'CN'),
        subjectAltNames: subjectAltNames(cert),
        issuer: formatName(tbs.issuer),
        validFrom: tbs.validity.notBefore.getTime(),
        validTo: tbs.validity.notAfter.getTime(),
        fingerprint256: hexColons(sha256(der)),
        serialNumber: serialHex(new Uint8Array(tbs.serialNumber)),
      },
    };
  } catch {
    return { ok: false, reason: 'the bytes are not a DER-encoded X.509 certificate' };
  }
}

function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function subjectAltNames(cert: Certificate): string[] {
  const { AsnConvert, id_ce_subjectAltName, SubjectAlternativeName } = x509();
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  if (!ext) return [];
  try {
    const names = AsnConvert.parse(ext.extnValue, SubjectAlternativeName);
    return Array.from(names, generalNameValue).filter((v): v is string => Boolean(v));
  } catch {
    return []; // node:crypto, too, still reads a certificate whose SAN extension it cannot decode
  }
}

function fieldValues(dn: string, field: string): string[] {
  return dn
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.toUpperCase().startsWith(field + '='))
    .map((l) => l.slice(field.length + 1));
}

/**
 * Whether the certificate names the identity: a CN or SAN equal to one of its names, or a URI SAN
 * (SPIFFE-style) whose last path segment is one of them.
 */
export function certificateNames(info: CertificateInfo, identifiers: readonly string[]): boolean {
  const wanted = new Set(identifiers.filter(Boolean).map((s) => s.toLowerCase()));
  for (const name of [...info.commonNames, ...info.subjectAltNames]) {
    const lower = name.toLowerCase();
    if (wanted.has(lower)) return true;
    const last = trimEndChar(lower, '/').split('/').pop();
    if (last && wanted.has(last)) return true;
    const host = lower.split('.')[0];
    if (host && wanted.has(host)) return true;
  }
  return false;
}
