/**
 * How resources are keyed and named: the index keys cross-file lookups use (a record's `keys`,
 * see ./records), the attribute that names a resource uniquely, and where a finding on the
 * resource as a whole is shown.
 */
import type { BoundResource } from '../model/bind';
import { parseCertificate } from '../model/certificates';
import { attr } from '../model/values';
import type { Span } from '../manifest/text';

/**
 * Index keys of a resource. Each kind of key has its own prefix, so one map holds them all.
 * Joined, not written as templates: a template longer than a few characters is a chain of
 * string pieces that the map flattens into a second copy, and every record keeps several keys
 * for the whole lint (at 50,000 resources, 10 MB of chains).
 */
export const key = {
  /** Resolution by externalId (exact, RFC 7643 section 3.1 caseExact). */
  externalId: (type: string, value: string) => ['id', type, value].join('\0'),
  /** Resolution by the human key (name, userName, displayName) in any case. */
  name: (type: string, value: string) => ['name', type, value.toLowerCase()].join('\0'),
  /** Uniqueness of the human key: per attribute, any case. */
  unique: (type: string, attribute: string, value: string) => ['unique', type, attribute, value.toLowerCase()].join('\0'),
  subject: (value: string) => ['subject', value].join('\0'),
  certificate: (fingerprintOrValue: string) => ['cert', fingerprintOrValue].join('\0'),
  /** An OAuth application's `agents` entry, by the key it names (exact and any case). */
  oauthAgentExact: (k: string) => ['oauth', 'exact', k].join('\0'),
  oauthAgentName: (k: string) => ['oauth', 'name', k.toLowerCase()].join('\0'),
};

/** The attribute that names a resource uniquely on a server, per resource type and profile. */
export const HUMAN_KEY_ATTRIBUTES: Record<string, readonly string[]> = {
  Agent: ['name', 'agentUserName'],
  AgenticApplication: ['name'],
  User: ['userName'],
  Group: ['displayName'],
};

export function humanKeyOf(r: BoundResource): { attribute: string; value: string } | undefined {
  for (const attribute of HUMAN_KEY_ATTRIBUTES[r.resourceType?.name ?? ''] ?? []) {
    const v = r.normalized[attribute];
    if (typeof v === 'string' && v.trim() !== '') return { attribute, value: v };
  }
  return undefined;
}

/**
 * Where a problem with the resource as a whole is shown: the key that names it (`name`,
 * `userName`...), else `schemas`, else its first key. Never the whole document.
 */
export function resourceAnchor(bound: BoundResource): Span {
  const key = humanKeyOf(bound);
  const named = key ? attr(bound, key.attribute) : undefined;
  if (named) return named.entry.keySpan;
  if (bound.schemasEntry) return bound.schemasEntry.keySpan;
  return bound.resource.root.entries[0]?.keySpan ?? bound.resource.root.span;
}

/** The key a certificate value is compared by: its fingerprint, or the value without blanks when it does not parse. */
export function certificateKey(value: string): string {
  const parsed = parseCertificate(value);
  return key.certificate(parsed.ok ? parsed.info.fingerprint256 : value.replace(/\s+/g, ''));
}
