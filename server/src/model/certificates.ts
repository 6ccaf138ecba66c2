import { trimEndChar } from '../util/strings';
import type { decodeCertificate as Decode } from './x509Decode';

/** The DER decoder, loaded on the first certificate (see x509Decode.ts). */
let decode: typeof Decode | undefined;
function decoder(): typeof Decode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a manifest holds a certificate
  return (decode ??= (require('./x509Decode') as typeof import('./x509Decode')).decodeCertificate);
}

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
  let der: Uint8Array;
  let decoded: ReturnType<typeof Decode>;
  try {
    der = base64Bytes(compact);
    decoded = decoder()(der);
  } catch {
    return { ok: false, reason: 'the bytes are not a DER-encoded X.509 certificate' };
  }
  const { subject, subjectAltNames, issuer, validFrom, validTo, fingerprint256, serialNumber } = decoded;
  return { ok: true, info: { subject, commonNames: fieldValues(subject, 'CN'), subjectAltNames, issuer, validFrom, validTo, fingerprint256, serialNumber } };
}

function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
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
