/**
 * The ASN.1 decoder for X.509 certificates, behind one module that certificates.ts loads on the
 * first certificate it parses. The Node bundles (dist/server.js, dist/cli.js) keep it out of their
 * own file: esbuild.mjs builds it as dist/x509.js, so that the server's start does not load the
 * ASN.1 schemas of every X.509 structure (most manifests hold no certificate). Tests and the web
 * worker load it like any module.
 */
export { AsnConvert } from '@peculiar/asn1-schema';
export { Certificate, id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
