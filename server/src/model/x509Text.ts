/**
 * How the Node build (OpenSSL through node:crypto) spells the parts of a certificate, so the
 * pure-JS parser shows the same text in hovers and messages on every platform.
 */
import type { GeneralName, Name } from '@peculiar/asn1-x509';

/** OpenSSL's short names for the attribute types of a distinguished name. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** One line per RDN, `TYPE=value`, multi-valued RDNs joined by ` + ` (OpenSSL's multiline form). */
export function formatName(name: Name): string {
  return name.map((rdn) => rdn.map((atv) => `${SHORT_NAMES[atv.type] ?? atv.type}=${escapeRfc2253(atv.value.toString())}`).join(' + ')).join('\n');
}

/** RFC 2253 escaping as OpenSSL applies it (ESC_2253 | ESC_CTRL, UTF-8 kept as is). */
function escapeRfc2253(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const code = c.charCodeAt(0);
    if (',+"\\<>;'.includes(c) || ((c === '#' || c === ' ') && i === 0) || (c === ' ' && i === value.length - 1)) out += '\\' + c;
    else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += c;
  }
  return out;
}

/**
 * A SAN entry's value, as node:crypto prints it after its type prefix (`DNS:`, `URI:`, `email:`,
 * `IP Address:`); undefined for kinds the rules do not read (node prints them with other prefixes).
 */
export function generalNameValue(name: GeneralName): string | undefined {
  if (name.dNSName !== undefined) return name.dNSName;
  if (name.uniformResourceIdentifier !== undefined) return name.uniformResourceIdentifier;
  if (name.rfc822Name !== undefined) return name.rfc822Name;
  if (name.iPAddress !== undefined) return formatIp(name.iPAddress);
  return undefined;
}

/** IPv6 as OpenSSL writes it: eight uppercase hex groups, no `::` shortening. */
function formatIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16).toUpperCase()).join(':');
}

export function hexColons(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** The serial number as OpenSSL's BN_bn2hex prints it: uppercase, whole bytes, no leading zero bytes. */
export function serialHex(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return hexColons(bytes.subarray(start)).replace(/:/g, '');
}
