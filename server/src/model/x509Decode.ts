/**
 * The DER decoding of an X.509 certificate, apart from certificates.ts so that the ASN.1 library
 * is loaded only when a manifest holds a certificate: initialising it was a quarter of the CLI's
 * start (about 40 ms of every `scim-agents` run, certificates or not).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { sha256 } from '@noble/hashes/sha2.js';
import { formatName, generalNameValue, hexColons, serialHex } from './x509Text';

export interface DecodedCertificate {
  subject: string;
  subjectAltNames: string[];
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  serialNumber: string;
}

/** Decodes one DER certificate; throws when the bytes are not one. */
export function decodeCertificate(der: Uint8Array): DecodedCertificate {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  return {
    subject: formatName(tbs.subject),
    subjectAltNames: subjectAltNames(cert),
    issuer: formatName(tbs.issuer),
    validFrom: tbs.validity.notBefore.getTime(),
    validTo: tbs.validity.notAfter.getTime(),
    fingerprint256: hexColons(sha256(der)),
    serialNumber: serialHex(new Uint8Array(tbs.serialNumber)),
  };
}

function subjectAltNames(cert: Certificate): string[] {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  if (!ext) return [];
  try {
    const names = AsnConvert.parse(ext.extnValue, SubjectAlternativeName);
    return Array.from(names, generalNameValue).filter((v): v is string => Boolean(v));
  } catch {
    return []; // node:crypto, too, still reads a certificate whose SAN extension it cannot decode
  }
}
