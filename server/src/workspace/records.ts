/**
 * What the cross-file rules read of a resource: a small record of plain data, made once per
 * binding. Those rules read resources only through records, both the ones they report on and
 * the ones their lookups find, so that a lint need not keep every file's tree until the end: the
 * CLI binds files in worker threads (a record crosses threads by structured clone) and lets a
 * file's tree go once its own rules ran. In the editor a record's spans are the binding's own
 * span objects, which an edit above the resource moves in place.
 */
import type { Span } from '../manifest/text';
import type { BoundResource } from '../model/bind';
import { certificateNames, parseCertificate } from '../model/certificates';
import { attr, isAssigned, subValue, valuesOf } from '../model/values';
import { certificateKey, humanKeyOf, key, resourceAnchor } from './keys';
import { parseReference, REFERENCE_SLOTS } from './references';

export interface ResourceRecord {
  uri: string;
  /** Its place among its file's resources. */
  index: number;
  /** The resource type's name, when the resource has one. */
  type?: string;
  /** How messages name it (labelOf). */
  label: string;
  /** The whole resource. */
  span: Span;
  /** Where a finding about the resource as a whole is reported. */
  anchor: Span;
  /** `active: false`: an owner that is not accountable. */
  inactive: boolean;
  /** With its index key (the same string as in `keys`: a lookup by it hashes nothing again). */
  externalId?: Located & { key: string };
  /** The server-unique name (HUMAN_KEY_ATTRIBUTES), when given, with its uniqueness key. */
  human?: Located & { attribute: string; key: string };
  /** A non-empty `subject` and its key; its span when the attribute is written as such. */
  subject?: { value: string; key: string; span?: Span };
  certificates: RecordCertificate[];
  /** The values in the reference slots of its type (owners, parent, agents, members), in order. */
  references: RecordReference[];
  /** Agents: how the agent can authenticate, for credential-unbound. */
  credentials?: AgentCredentials;
  /** Applications with OAuth clients: their key's span, and whether they list agents. */
  oauth?: { span: Span; agents: boolean };
  /** Its keys in the workspace's lookup index (each at most once; see `key`). */
  keys: string[];
}

export interface Located {
  value: string;
  span: Span;
}

export interface RecordCertificate {
  value: string;
  /** Its index key (certificateKey). */
  key: string;
  span: Span;
  /** An agent's certificate that parses but names none of the agent's identifiers: the names it gives. */
  namesOther?: string;
  /** With namesOther: the agent's identifiers it should name one of (name, agentUserName, externalId, subject, displayName). */
  wanted?: string;
}

export interface RecordReference {
  attribute: string;
  /** The item's `value` when it is a string. */
  value?: string;
  span?: Span;
}

export interface AgentCredentials {
  /** Whether the agent's profile has a `subject` attribute to bind tokens with. */
  definesSubject: boolean;
  subjectAssigned: boolean;
  /** The key of `x509Certificates` / `protocols`, when assigned. */
  certificates?: Span;
  protocols?: Span;
  /** What the quick fix proposes as `subject`. */
  suggestedSubject?: string;
}

const records = new WeakMap<BoundResource['top'], ResourceRecord>();

/** The record of a binding (kept per binding: reused bindings share their `top` map). */
export function recordOf(r: BoundResource): ResourceRecord {
  const known = records.get(r.top);
  if (known) return known;
  const record = makeRecord(r);
  records.set(r.top, record);
  return record;
}

/**
 * A binding's record, made afresh and not kept: for a lint that lets the binding go at once
 * (lint/apart.ts), where a weak map entry per resource would only be work for the collector.
 * Nothing in a record points back at the binding: a record kept after its file's tree must not
 * keep the tree.
 */
export function makeRecord(r: BoundResource): ResourceRecord {
  const type = r.resourceType?.name;
  const n = r.normalized;
  const keys: string[] = [];
  const root = r.resource.root.span;
  // Every field set here, in one order: records of every type share one shape, which the
  // cross-file rules read fast (a field added later would give each combination its own).
  const record: ResourceRecord = {
    uri: r.uri,
    index: r.resource.index,
    type,
    label: '',
    span: root,
    anchor: resourceAnchor(r),
    inactive: n.active === false,
    externalId: undefined,
    human: undefined,
    subject: undefined,
    certificates: [],
    references: [],
    credentials: undefined,
    oauth: undefined,
    keys,
  };
  const human = type ? humanKeyOf(r) : undefined;
  const ext = n.externalId;
  if (type && typeof ext === 'string') {
    const k = key.externalId(type, ext);
    record.externalId = { value: ext, key: k, span: attr(r, 'externalId')?.entry.value.span ?? root };
    addKey(keys, k);
  }
  if (type && human) {
    const unique = key.unique(type, human.attribute, human.value);
    record.human = { attribute: human.attribute, value: human.value, key: unique, span: attr(r, human.attribute)?.entry.value.span ?? root };
    addKey(keys, key.name(type, human.value));
    addKey(keys, unique);
  }
  const labelKey = human?.value ?? (typeof ext === 'string' ? ext : undefined);
  // Joined, as the keys are (./keys): one string, not a chain of four pieces kept with the record.
  record.label = labelKey ? [type ?? 'resource', ' "', labelKey, '"'].join('') : `${type ?? 'resource'} #${r.resource.index + 1}`;
  const subject = n.subject;
  if (typeof subject === 'string' && subject !== '') {
    const k = key.subject(subject);
    record.subject = { value: subject, key: k, span: attr(r, 'subject')?.entry.value.span };
    addKey(keys, k);
  }
  if (type === 'Agent') record.credentials = credentialsOf(r);
  // Indexed loops: for-of steps an iterator, an object per step until V8 optimises the loop,
  // which a lint's first thousand files do not reach.
  const certificates = valuesOf(r, 'x509Certificates');
  for (let c = 0; c < certificates.length; c++) {
    const item = certificates[c]!;
    const v = subValue(r, item, 'value');
    if (!v || typeof v.value !== 'string') continue;
    const k = certificateKey(v.value);
    addKey(keys, k);
    const cert: RecordCertificate = { value: v.value, key: k, span: v.span, namesOther: undefined, wanted: undefined };
    if (record.credentials) {
      const parsed = parseCertificate(v.value);
      const identifiers = identifiersOf(r);
      if (parsed.ok && !certificateNames(parsed.info, identifiers)) {
        cert.namesOther = [...parsed.info.commonNames.map((c) => `CN=${c}`), ...parsed.info.subjectAltNames].join(', ') || 'no names';
        cert.wanted = identifiers.join(', ');
      }
    }
    record.certificates.push(cert);
  }
  for (let s = 0; s < REFERENCE_SLOTS.length; s++) {
    const slot = REFERENCE_SLOTS[s]!;
    if (slot.resourceType !== type) continue;
    const items = valuesOf(r, slot.attribute);
    for (let i = 0; i < items.length; i++) {
      const v = subValue(r, items[i]!, 'value');
      record.references.push({ attribute: slot.attribute, value: typeof v?.value === 'string' ? v.value : undefined, span: v?.span });
    }
  }
  const oauth = type === 'AgenticApplication' && isAssigned(n.oAuthConfiguration) ? attr(r, 'oAuthConfiguration') : undefined;
  if (oauth) {
    record.oauth = { span: oauth.entry.keySpan, agents: isAssigned(n.agents) };
    for (const ref of record.references) {
      const parsed = ref.attribute === 'agents' ? parseReference(ref.value) : undefined;
      if (parsed?.kind !== 'agent') continue;
      addKey(keys, key.oauthAgentExact(parsed.key));
      addKey(keys, key.oauthAgentName(parsed.key));
    }
  }
  // Copied to their exact sizes: a list grown by push keeps room for 16 more items, such lists
  // were a quarter of a record, and a record lives as long as the lint.
  record.keys = keys.slice();
  if (record.references.length > 0) record.references = record.references.slice();
  if (record.certificates.length > 0) record.certificates = record.certificates.slice();
  return record;
}

/** Each key once (a record has a handful: a search is cheaper than a set). */
function addKey(keys: string[], k: string): void {
  if (!keys.includes(k)) keys.push(k);
}

/** Whether a schema has a `subject` attribute, per schema object (profiles share theirs). */
const hasSubject = new WeakMap<object, boolean>();

function definesSubject(r: BoundResource): boolean {
  const schema = r.profile.schemas.get(r.resourceType!.schema);
  if (!schema) return false;
  let known = hasSubject.get(schema);
  if (known === undefined) hasSubject.set(schema, (known = schema.attributes.some((a) => a.name === 'subject')));
  return known;
}

function credentialsOf(r: BoundResource): AgentCredentials {
  const n = r.normalized;
  const certs = attr(r, 'x509Certificates');
  const protocols = attr(r, 'protocols');
  const suggested = typeof n.externalId === 'string' ? n.externalId : n.name;
  return {
    // Only drafts with a `subject` attribute can bind tokens to the record (abbey-00).
    definesSubject: definesSubject(r),
    subjectAssigned: isAssigned(n.subject),
    certificates: certs && isAssigned(n.x509Certificates) ? certs.entry.keySpan : undefined,
    protocols: protocols && isAssigned(n.protocols) ? protocols.entry.keySpan : undefined,
    suggestedSubject: typeof suggested === 'string' ? suggested : undefined,
  };
}

/** The identifiers an agent's certificate must name one of; asked only of an agent with certificates, not kept. */
function identifiersOf(r: BoundResource): string[] {
  const out: string[] = [];
  for (const k of IDENTIFIERS) {
    const v = r.normalized[k];
    if (typeof v === 'string' && v !== '') out.push(v);
  }
  return out;
}

/** What a certificate of an agent must name one of. */
const IDENTIFIERS = ['name', 'agentUserName', 'externalId', 'subject', 'displayName'] as const;

const facts = new WeakMap<ResourceRecord, string>();

/**
 * Everything of a record that another resource's cross-file findings can depend on (its place,
 * keys, label, `active`, references, credentials), as one string: when an edit leaves it the
 * same for every resource of a file, the other files' cross-file findings are the same too.
 * Spans are left out: they move with the text and are read only by the resource's own findings.
 */
export function factsOf(record: ResourceRecord): string {
  let f = facts.get(record);
  if (f === undefined) {
    f = JSON.stringify([
      record.type,
      record.index,
      record.uri,
      record.label,
      record.inactive,
      record.keys,
      record.certificates.map((c) => c.value),
      record.references.map((x) => [x.attribute, x.value]),
      record.oauth?.agents,
    ]);
    facts.set(record, f);
  }
  return f;
}

/**
 * The lookups the cross-file rules make, over records: by key (see `key`), by reference, and
 * counts per type. The editor's index keeps one up to date file by file; the CLI builds one from
 * every file's records.
 */
export class RecordKeys {
  /**
   * A key's one record, or its records when several share it. Most keys have one: an array for
   * each was a quarter of a million arrays kept through a 50,000-resource lint.
   */
  private readonly byKey = new Map<string, ResourceRecord | ResourceRecord[]>();
  private readonly typeCounts = new Map<string, number>();

  add(record: ResourceRecord): void {
    if (record.type) this.typeCounts.set(record.type, (this.typeCounts.get(record.type) ?? 0) + 1);
    // Indexed: a lint adds every record once, mostly before V8 optimises this.
    for (let i = 0; i < record.keys.length; i++) {
      const k = record.keys[i]!;
      const had = this.byKey.get(k);
      if (had === undefined) this.byKey.set(k, record);
      else if (Array.isArray(had)) had.push(record);
      else this.byKey.set(k, [had, record]);
    }
  }

  remove(record: ResourceRecord): void {
    if (record.type) this.typeCounts.set(record.type, (this.typeCounts.get(record.type) ?? 1) - 1);
    for (const k of record.keys) {
      const had = this.byKey.get(k);
      if (had === record) this.byKey.delete(k);
      else if (Array.isArray(had)) {
        const i = had.indexOf(record);
        if (i >= 0) had.splice(i, 1);
        if (had.length === 1) this.byKey.set(k, had[0]!);
      }
    }
  }

  /** Every record under an index key. */
  withKey(indexKey: string): readonly ResourceRecord[] {
    const had = this.byKey.get(indexKey);
    return had === undefined ? NONE : Array.isArray(had) ? had : [had];
  }

  /** Records of a type whose externalId (exactly) or human name (any case) is `k`. */
  lookup(resourceType: string, k: string): ResourceRecord[] {
    const exact = this.withKey(key.externalId(resourceType, k));
    const named = this.withKey(key.name(resourceType, k));
    if (named.length === 0) return [...exact];
    if (exact.length === 0) return [...named];
    return [...new Set([...exact, ...named])];
  }

  countOf(resourceType: string): number {
    return this.typeCounts.get(resourceType) ?? 0;
  }
}

const NONE: readonly ResourceRecord[] = [];
