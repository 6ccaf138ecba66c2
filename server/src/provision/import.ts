/**
 * Import: manifests from what a SCIM server already holds (its Agents and AgenticApplications),
 * written as a reviewer would write them by hand, so the identities come under management. The
 * proof is the round trip: right after an import, `lint` reports only real problems of the
 * server's data and `plan` reports no changes.
 *
 * - Reads are paged and must be complete: an incomplete listing writes nothing.
 * - Server-managed and read-only attributes (id, meta, applications…) and secrets are left out.
 * - Owners, parents and applications' agents become `user:`/`group:`/`agent:` references by their
 *   human keys, resolved through the server (an owner it cannot name stays a server id, with a note).
 * - One file per application with its agents; an agent in no application gets a file of its own.
 * - Re-import updates the files where the resources already are, in place (yaml's Document API, so
 *   comments stay); a file whose resources did not change is left byte for byte as it was.
 */
import { isMap, isScalar, parseAllDocuments, Document, type Document as YamlDocument } from 'yaml';
import { endpointFor, type ScimClient, type ScimResource, type ServerCapabilities } from '../scim';
import { attributesOf, findAttribute } from '../schema/attributes';
import { getProfile } from '../schema/profiles';
import { URN, type AttributeDefinition } from '../schema/types';
import { endpointHostOf } from './connect';
import { runPool } from '../util/pool';
import { appendTo } from '../util/maps';

export type ImportType = 'Agent' | 'AgenticApplication';
export const IMPORT_TYPES: readonly ImportType[] = ['Agent', 'AgenticApplication'];

export interface ImportOptions {
  client: ScimClient;
  capabilities: ServerCapabilities;
  /** A SCIM filter the server applies to both listings. */
  filter?: string;
  types?: readonly ImportType[];
}

export interface ImportedResource {
  resourceType: ImportType;
  /** The manifest's content, keys in the order a person would write them. */
  value: Record<string, unknown>;
  /** Comments written above the resource (how it is matched, what was left out). */
  notes: string[];
}

export interface ImportGroup {
  /** Suggested file name (`platform.agents.yaml`, `bot.agent.yaml`). */
  file: string;
  resources: ImportedResource[];
}

export interface ServerImport {
  endpointHost: string;
  groups: ImportGroup[];
  counts: Record<ImportType, number>;
  /** Things the person should know (filtered references, unsupported types). */
  notes: string[];
}

export class ImportError extends Error {}

const URN_OF: Record<ImportType, string> = { Agent: URN.agent, AgenticApplication: URN.agenticApplication };
const FIRST_KEYS = ['schemas', 'externalId', 'name', 'agentUserName', 'displayName', 'description'];
/** Sub-attributes of references that the server derives ($ref, display): never written. */
const DERIVED_REFERENCE_KEYS = new Set(['$ref', 'display']);
const SECRET_NAME = /secret|password|passwd|private.?key|token|credential/i;

export async function readServerForImport(options: ImportOptions): Promise<ServerImport> {
  const { client, capabilities } = options;
  const types = options.types?.length ? options.types : IMPORT_TYPES;
  const notes: string[] = [];
  const listed: Record<ImportType, ScimResource[]> = { Agent: [], AgenticApplication: [] };
  for (const type of types) {
    const endpoint = endpointFor(capabilities, URN_OF[type]);
    if (!endpoint) {
      notes.push(`The server has no ${type} resource type: none imported.`);
      continue;
    }
    const result = await client.list(endpoint, options.filter ? { filter: options.filter } : {});
    if (!result.complete)
      throw new ImportError(
        `The server's ${endpoint} listing was incomplete (${result.resources.length} of ${result.totalResults ?? 'an unknown number'}): nothing was written.`,
      );
    listed[type] = result.resources;
  }

  const names = new Names(client, capabilities, listed.Agent);
  await names.resolveOwners(listed.Agent);
  await names.resolveAgents([...listed.Agent.map((a) => refValue(a.parent)), ...listed.AgenticApplication.flatMap((app) => asArray(app.agents).map(refValue))]);

  const agents = new Map(listed.Agent.map((a) => [a.id, toManifest('Agent', a, capabilities, names)]));
  const groups: ImportGroup[] = [];
  const placed = new Set<string>();
  for (const app of [...listed.AgenticApplication].sort(byName)) {
    const members = asArray(app.agents)
      .map(refValue)
      .filter((id): id is string => typeof id === 'string' && agents.has(id) && !placed.has(id));
    for (const id of members) placed.add(id);
    const memberResources = members
      .map((id) => listed.Agent.find((a) => a.id === id)!)
      .sort(byName)
      .map((a) => agents.get(a.id)!);
    groups.push({
      file: `${slug(client.scrub(nameOf(app) ?? app.id))}.agents.yaml`,
      resources: [toManifest('AgenticApplication', app, capabilities, names), ...memberResources],
    });
  }
  for (const agent of [...listed.Agent].sort(byName)) {
    if (placed.has(agent.id)) continue;
    groups.push({ file: `${slug(client.scrub(nameOf(agent) ?? agent.id))}.agent.yaml`, resources: [agents.get(agent.id)!] });
  }
  if (options.filter && names.outside > 0)
    notes.push(
      `${names.outside} reference(s) name agents outside the filter: they are written as references and must be declared elsewhere for lint to resolve them.`,
    );
  const echoed = groups.flatMap((g) => g.resources).reduce((n, r) => n + leaveOutEchoedSecrets(r, (text) => client.scrub(text)), 0);
  if (echoed > 0)
    notes.push(
      `The server's answers held the access token in ${echoed} value(s): they were left out of the files (the comment above each resource names its attributes).`,
    );
  uniqueFileNames(groups);
  return {
    endpointHost: endpointHostOf(client.baseUrl),
    groups,
    counts: { Agent: listed.Agent.length, AgenticApplication: listed.AgenticApplication.length },
    notes,
  };
}

/**
 * A server can answer with the bearer token inside attribute values (an echo, a misconfigured
 * mapping): such a value never goes into a file. An attribute holding it is left out, or in a
 * multi-valued one the elements holding it; the resource's comment names them. Returns how many
 * values were left out.
 */
function leaveOutEchoedSecrets(r: ImportedResource, scrub: (text: string) => string): number {
  const holds = (v: unknown) => {
    const text = JSON.stringify(v) ?? '';
    return scrub(text) !== text;
  };
  const left: string[] = [];
  for (const [name, value] of Object.entries(r.value)) {
    if (Array.isArray(value) && value.some(holds)) {
      const kept = value.filter((v) => !holds(v));
      left.push(...Array.from({ length: value.length - kept.length }, () => name));
      if (kept.length) r.value[name] = kept;
      else delete r.value[name];
    } else if (holds(value)) {
      left.push(name);
      delete r.value[name];
    }
  }
  r.notes = r.notes.map(scrub);
  if (left.length) r.notes.push(`Left out (the server's answer held the access token): ${[...new Set(left)].join(', ')}.`);
  return left.length;
}

/** How references are named: user:<userName>, group:<displayName>, agent:<name>, as the server says. */
class Names {
  private readonly owners = new Map<string, string>();
  private readonly agents = new Map<string, string>();
  outside = 0;

  constructor(
    private readonly client: ScimClient,
    private readonly capabilities: ServerCapabilities,
    listedAgents: readonly ScimResource[],
  ) {
    for (const a of listedAgents) {
      const key = agentKey(a);
      if (key) this.agents.set(a.id, key);
    }
  }

  owner(id: string): string | undefined {
    return this.owners.get(id);
  }

  agent(id: string): string | undefined {
    return this.agents.get(id);
  }

  async resolveOwners(agents: readonly ScimResource[]): Promise<void> {
    const entries = new Map<string, unknown>();
    for (const a of agents)
      for (const o of asArray(a.owners)) {
        const id = refValue(o);
        if (typeof id === 'string') entries.set(id, o);
      }
    const users = endpointFor(this.capabilities, URN.user);
    const groups = endpointFor(this.capabilities, URN.group);
    await runPool([...entries], 8, async ([id, owner]) => {
      const hint = ownerHint(owner);
      const order =
        hint === 'group'
          ? ([
              ['group', groups],
              ['user', users],
            ] as const)
          : ([
              ['user', users],
              ['group', groups],
            ] as const);
      for (const [kind, endpoint] of order) {
        if (!endpoint) continue;
        const found = await this.client.tryGet(endpoint, id);
        const key = found && (kind === 'user' ? found.userName : found.displayName);
        if (typeof key === 'string' && key.trim() !== '') {
          this.owners.set(id, `${kind}:${key}`);
          return;
        }
      }
    });
  }

  /** Agents named by id (parents, applications' members) that the listing did not include. */
  async resolveAgents(ids: readonly unknown[]): Promise<void> {
    const endpoint = endpointFor(this.capabilities, URN.agent);
    const missing = [...new Set(ids.filter((id): id is string => typeof id === 'string' && !this.agents.has(id)))];
    if (!endpoint) return;
    await runPool(missing, 8, async (id) => {
      const found = await this.client.tryGet(endpoint, id);
      const key = found && agentKey(found);
      if (key) {
        this.agents.set(id, key);
        this.outside++;
      }
    });
  }
}

function toManifest(type: ImportType, resource: ScimResource, capabilities: ServerCapabilities, names: Names): ImportedResource {
  const notes: string[] = [];
  const profile = getProfile(type === 'Agent' && typeof resource.agentUserName === 'string' ? 'wzdk-00' : 'abbey-00');
  const defs = attributesOf(profile, URN_OF[type]) ?? [];
  const served = capabilities.schemas[URN_OF[type]]?.attributes ?? [];
  const out: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, raw] of Object.entries(resource)) {
    if (name === 'id' || name === 'meta') continue;
    if (name === 'schemas') {
      out.schemas = raw;
      continue;
    }
    const def = findAttribute(defs, name)?.def ?? findAttribute(served, name)?.def;
    const servedDef = findAttribute(served, name)?.def;
    if (isManaged(def) || isManaged(servedDef)) continue;
    if (SECRET_NAME.test(name)) {
      dropped.push(name);
      continue;
    }
    const value = withoutSecrets(raw, name, dropped);
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    out[def?.name ?? name] = value;
  }
  rewriteReferences(type, out, names, notes);
  if (dropped.length) notes.push(`Left out (secrets are never written to manifests): ${[...new Set(dropped)].join(', ')}.`);
  const human = type === 'Agent' ? nameOf(resource) : typeof resource.name === 'string' ? resource.name : undefined;
  if (typeof resource.externalId !== 'string' || resource.externalId.trim() === '') {
    notes.unshift(
      human
        ? `No externalId on the server: plan and apply find this ${type} by its ${typeof resource.name === 'string' ? 'name' : 'agentUserName'} "${human}" (any case) and adopt it. Add an externalId here and apply sets it on the server.`
        : `Neither an externalId nor a name on the server (id ${resource.id}): plan cannot find it again; give it a name or an externalId.`,
    );
  }
  return { resourceType: type, value: ordered(out), notes };
}

function rewriteReferences(type: ImportType, out: Record<string, unknown>, names: Names, notes: string[]): void {
  const clean = (element: unknown): Record<string, unknown> | undefined => {
    if (!element || typeof element !== 'object' || Array.isArray(element)) return undefined;
    return Object.fromEntries(Object.entries(element).filter(([k]) => !DERIVED_REFERENCE_KEYS.has(k)));
  };
  if (type === 'Agent') {
    if (Array.isArray(out.owners)) {
      out.owners = out.owners
        .map(clean)
        .filter(Boolean)
        .map((o) => {
          const id = String(o!.value);
          const ref = names.owner(id);
          if (!ref) notes.push(`Owner ${id} is no user or group the server could name: kept as its server id.`);
          const { type: _kind, ...rest } = o!; // user:/group: in the value says what the owner is
          return { ...rest, value: ref ?? id };
        });
    }
    if (out.parent && typeof out.parent === 'object') {
      const p = clean(out.parent)!;
      const ref = names.agent(String(p.value));
      if (!ref) notes.push(`Parent ${String(p.value)} is no agent the server could name: kept as its server id.`);
      out.parent = { ...p, value: ref ?? p.value };
    }
  } else if (Array.isArray(out.agents)) {
    out.agents = out.agents
      .map(clean)
      .filter(Boolean)
      .map((a) => {
        const ref = names.agent(String(a!.value));
        if (!ref) notes.push(`Agent ${String(a!.value)} is no agent the server could name: kept as its server id.`);
        return { ...a, value: ref ?? a!.value };
      });
  }
}

function isManaged(def: AttributeDefinition | undefined): boolean {
  return def !== undefined && (def.mutability === 'readOnly' || def.mutability === 'writeOnly' || def.returned === 'never');
}

/** The value without secret-looking sub-attributes (their names are collected). */
function withoutSecrets(value: unknown, path: string, dropped: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, path, dropped));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_NAME.test(k)) dropped.push(`${path}.${k}`);
      else out[k] = withoutSecrets(v, `${path}.${k}`, dropped);
    }
    return out;
  }
  return value;
}

function ordered(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIRST_KEYS) if (k in value) out[k] = value[k];
  for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = v;
  return out;
}

function agentKey(a: ScimResource): string | undefined {
  const key = nameOf(a) ?? (typeof a.externalId === 'string' ? a.externalId : undefined);
  return key ? `agent:${key}` : undefined;
}

function nameOf(r: ScimResource): string | undefined {
  for (const k of ['name', 'agentUserName']) if (typeof r[k] === 'string' && (r[k] as string).trim() !== '') return r[k] as string;
  return undefined;
}

function byName(a: ScimResource, b: ScimResource): number {
  return (nameOf(a) ?? a.id).localeCompare(nameOf(b) ?? b.id) || a.id.localeCompare(b.id);
}

function refValue(element: unknown): unknown {
  return element && typeof element === 'object' && !Array.isArray(element) ? (element as Record<string, unknown>).value : undefined;
}

function ownerHint(owner: unknown): 'user' | 'group' | undefined {
  const o = owner as Record<string, unknown> | undefined;
  const type = typeof o?.type === 'string' ? o.type.toLowerCase() : '';
  const ref = typeof o?.$ref === 'string' ? o.$ref : '';
  if (type === 'group' || /\/Groups\//i.test(ref)) return 'group';
  if (type === 'user' || /\/Users\//i.test(ref)) return 'user';
  return undefined;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A file name from a resource name: lower case, safe characters only, never a path. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return s || 'resource';
}

function uniqueFileNames(groups: ImportGroup[]): void {
  const used = new Set<string>();
  for (const g of groups) {
    let file = g.file;
    for (let n = 2; used.has(file); n++) file = g.file.replace(/(\.agents?\.yaml)$/, `-${n}$1`);
    used.add(file);
    g.file = file;
  }
}

// Writing -------------------------------------------------------------------------------------

export interface ExistingFile {
  /** Relative to the output folder, '/'-separated. */
  file: string;
  text: string;
}

export interface ImportWrite {
  file: string;
  text: string;
  /** Whether the file is new or its text changes. */
  changed: boolean;
  created: boolean;
}

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * The files to write: resources already in a file of the folder are updated there, in place;
 * the others go to their group's file (appended when it exists). Unchanged files keep their text.
 */
export function planImportWrites(imported: ServerImport, existing: readonly ExistingFile[]): ImportWrite[] {
  const parsed = existing.map((f) => ({ file: f.file, text: f.text, docs: parseAllDocuments(f.text) }));
  const where = new Map<string, { file: string; doc: YamlDocument }>();
  for (const f of parsed) {
    if (!Array.isArray(f.docs)) continue;
    for (const doc of f.docs) {
      if (doc.errors.length) continue;
      for (const key of documentKeys(doc.toJS())) if (!where.has(key)) where.set(key, { file: f.file, doc });
    }
  }
  const updates = new Map<string, { changed: boolean; append: ImportedResource[] }>();
  const fresh = new Map<string, ImportedResource[]>();
  const touch = (file: string) => {
    let u = updates.get(file);
    if (!u) updates.set(file, (u = { changed: false, append: [] }));
    return u;
  };
  for (const group of imported.groups) {
    for (const r of group.resources) {
      const hit = resourceKeys(r)
        .map((k) => where.get(k))
        .find(Boolean);
      if (hit) {
        if (updateDocument(hit.doc, r.value)) touch(hit.file).changed = true;
        else touch(hit.file);
      } else if (parsed.some((f) => f.file === group.file)) touch(group.file).append.push(r);
      else appendTo(fresh, group.file, r);
    }
  }
  const out: ImportWrite[] = [];
  for (const [file, u] of updates) {
    const f = parsed.find((p) => p.file === file)!;
    if (!u.changed && u.append.length === 0) {
      out.push({ file, text: f.text, changed: false, created: false });
      continue;
    }
    let text = u.changed && Array.isArray(f.docs) ? f.docs.map((d) => d.toString(TO_STRING)).join('') : f.text;
    for (const r of u.append) text = `${text.replace(/\n*$/, '\n')}---\n${renderResource(r)}`;
    out.push({ file, text, changed: text !== f.text, created: false });
  }
  for (const [file, resources] of fresh) {
    const header = `# Imported from ${imported.endpointHost} by \`scim-agents import\`. Edit freely: a re-import keeps comments.\n`;
    out.push({ file, text: header + resources.map(renderResource).join('---\n'), changed: true, created: true });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Resources the folder's manifests declare that the server no longer has (by externalId or name):
 * import never deletes them from the files, it says so. Meaningful only for an unfiltered import
 * of the resource's type.
 */
export function absentFromServer(imported: ServerImport, existing: readonly ExistingFile[], types: readonly ImportType[] = IMPORT_TYPES): string[] {
  const known = new Set(imported.groups.flatMap((g) => g.resources.flatMap(resourceKeys)));
  const out: string[] = [];
  for (const f of existing) {
    for (const doc of parseAllDocuments(f.text) as YamlDocument[]) {
      if (!Array.isArray(doc.errors) || doc.errors.length) continue;
      const value = doc.toJS() as Record<string, unknown> | null;
      const keys = documentKeys(value);
      const type = keys[0]?.split('\u0000')[0] as ImportType | undefined;
      if (!type || !types.includes(type) || keys.some((k) => known.has(k))) continue;
      out.push(`${type} "${String(value?.name ?? value?.externalId)}" in ${f.file} is not on the server (left in the file).`);
    }
  }
  return out;
}

function renderResource(r: ImportedResource): string {
  const doc = new Document(r.value);
  if (r.notes.length) doc.commentBefore = r.notes.map((n) => ` ${n}`).join('\n');
  return doc.toString(TO_STRING);
}

/** Sets what differs and removes what the server no longer has (authoring keys stay). */
function updateDocument(doc: YamlDocument, value: Record<string, unknown>): boolean {
  if (!isMap(doc.contents)) return false;
  const current = (doc.toJS() ?? {}) as Record<string, unknown>;
  let changed = false;
  const keyOf = (name: string) => Object.keys(current).find((k) => k.toLowerCase() === name.toLowerCase());
  for (const [name, v] of Object.entries(value)) {
    const key = keyOf(name) ?? name;
    if (deepEqual(current[key], v)) continue;
    doc.set(key, doc.createNode(v));
    changed = true;
  }
  for (const item of [...doc.contents.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : undefined;
    if (key === undefined || key.toLowerCase().startsWith('x-scim-agents-')) continue;
    if (!Object.keys(value).some((k) => k.toLowerCase() === key.toLowerCase())) {
      doc.delete(key);
      changed = true;
    }
  }
  return changed;
}

function documentKeys(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const v = value as Record<string, unknown>;
  const schemas = Array.isArray(v.schemas) ? v.schemas.map((s) => String(s).toLowerCase()) : [];
  const type = IMPORT_TYPES.find((t) => schemas.includes(URN_OF[t].toLowerCase()));
  if (!type) return [];
  return keysOf(type, v);
}

function resourceKeys(r: ImportedResource): string[] {
  return keysOf(r.resourceType, r.value);
}

function keysOf(type: ImportType, v: Record<string, unknown>): string[] {
  const keys: string[] = [];
  if (typeof v.externalId === 'string') keys.push(`${type}\u0000id\u0000${v.externalId}`);
  for (const k of ['name', 'agentUserName']) if (typeof v[k] === 'string') keys.push(`${type}\u0000name\u0000${(v[k] as string).toLowerCase()}`);
  return keys;
}

/** Structural equality; the order of an object's keys does not matter, an array's does. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
