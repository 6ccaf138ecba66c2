/**
 * What one resource puts into the workspace's per-key indexes, and what the other files'
 * cross-file findings may read of it. Computed once per binding, so that adding, changing or
 * removing a file updates the indexes by its own resources only (never a rebuild over all).
 */
import type { BoundResource } from '../model/bind';
import { parseCertificate } from '../model/certificates';
import { isAssigned, subValue, valuesOf } from '../model/values';
import { parseReference, REFERENCE_SLOTS } from './references';

/** Index keys of a resource. Each kind of key has its own prefix, so one map holds them all. */
export const key = {
  /** Resolution by externalId (exact, RFC 7643 §3.1 caseExact). */
  externalId: (type: string, value: string) => `id\0${type}\0${value}`,
  /** Resolution by the human key (name, userName, displayName) in any case. */
  name: (type: string, value: string) => `name\0${type}\0${value.toLowerCase()}`,
  /** Uniqueness of the human key: per attribute, any case. */
  unique: (type: string, attribute: string, value: string) => `unique\0${type}\0${attribute}\0${value.toLowerCase()}`,
  subject: (value: string) => `subject\0${value}`,
  certificate: (fingerprintOrValue: string) => `cert\0${fingerprintOrValue}`,
  /** An OAuth application's `agents` entry, by the key it names (exact and any case). */
  oauthAgentExact: (k: string) => `oauth\0exact\0${k}`,
  oauthAgentName: (k: string) => `oauth\0name\0${k.toLowerCase()}`,
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

/** The key a certificate value is compared by: its fingerprint, or the value without blanks when it does not parse. */
export function certificateKey(value: string): string {
  const parsed = parseCertificate(value);
  return key.certificate(parsed.ok ? parsed.info.fingerprint256 : value.replace(/\s+/g, ''));
}

export interface ResourceKeys {
  /** Index keys (each at most once). */
  keys: string[];
  /**
   * Everything of this resource that another file's cross-file findings can depend on (its
   * keys, label, references, `active`, credentials). When an edit leaves it unchanged for
   * every resource of a file, the other files' cross-file findings are unchanged too.
   */
  facts: string;
}

const computed = new WeakMap<BoundResource['top'], ResourceKeys>();

/** The keys of a binding (cached per binding: reused bindings share their `top` map). */
export function keysOf(r: BoundResource): ResourceKeys {
  const known = computed.get(r.top);
  if (known) return known;
  const keys = new Set<string>();
  const facts: unknown[] = [r.resourceType?.name ?? '', r.resource.index, r.uri];
  const type = r.resourceType?.name;
  if (type) {
    const ext = r.normalized.externalId;
    if (typeof ext === 'string') keys.add(key.externalId(type, ext));
    const human = humanKeyOf(r);
    if (human) {
      keys.add(key.name(type, human.value));
      keys.add(key.unique(type, human.attribute, human.value));
    }
    facts.push(ext, human?.attribute, human?.value, r.normalized.active);
  }
  for (const item of valuesOf(r, 'x509Certificates')) {
    const v = subValue(r, item, 'value');
    if (v && typeof v.value === 'string') {
      keys.add(certificateKey(v.value));
      facts.push(v.value);
    }
  }
  const subject = r.normalized.subject;
  if (typeof subject === 'string' && subject !== '') keys.add(key.subject(subject));
  facts.push(subject);
  for (const slot of REFERENCE_SLOTS) {
    if (slot.resourceType !== type) continue;
    for (const item of valuesOf(r, slot.attribute)) facts.push(slot.attribute, subValue(r, item, 'value')?.value);
  }
  if (type === 'AgenticApplication' && isAssigned(r.normalized.oAuthConfiguration)) {
    facts.push('oauth');
    for (const item of valuesOf(r, 'agents')) {
      const ref = parseReference(subValue(r, item, 'value')?.value);
      if (ref?.kind !== 'agent') continue;
      keys.add(key.oauthAgentExact(ref.key));
      keys.add(key.oauthAgentName(ref.key));
    }
  }
  // The facts are compared only when a file changes (the editor): serialised on first use.
  let serialised: string | undefined;
  const out = {
    keys: [...keys],
    get facts() {
      return (serialised ??= JSON.stringify(facts));
    },
  };
  computed.set(r.top, out);
  return out;
}
