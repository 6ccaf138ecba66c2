/**
 * buildPlan: what applying the manifests would change on a SCIM server, per resource, without
 * writing anything. Reads are batched (`or` filters, one request per ~100 keys and endpoint) and
 * every match is verified client-side.
 */
import { diffToPatchOps, endpointFor, isScimError, supportsAgents, versionOf, type ScimClient, type ScimResource, type ServerCapabilities } from '../scim';
import { attributesOf, findAttribute } from '../schema/attributes';
import { URN, type AttributeDefinition } from '../schema/types';
import type { BoundResource } from '../rules/analysis/bind';
import type { Directory, Finding } from '../rules/types';
import { resourceAnchor } from '../rules/util';
import { humanKeyOf, labelOf, type WorkspaceIndex } from '../workspace/index';
import { lintWorkspace, type LintOptions } from '../workspace/linter';
import { RESOURCE_TYPE_OF, type KeyReference } from '../workspace/references';
import { endpointHostOf } from './connect';
import { directoryEntry } from './directory';
import { agentAsUser } from './fallback';
import { referenceSites, rewriteSite } from './references';
import type { Plan, PlanCounts, PlanItem } from './types';

export interface PlanOptions {
  client: ScimClient;
  capabilities: ServerCapabilities;
  /** Plan only the resources of these files (default: every file of the index). */
  uris?: readonly string[];
  /** Where the server has no Agent resource type, provision agents as Users (only when chosen). */
  fallback?: 'linked-user';
  /** Severity overrides etc. for the lint that gates provisioning (the directory is added here). */
  lint?: Omit<LintOptions, 'directory'>;
}

const SERVER_URN: Record<string, string> = {
  Agent: URN.agent,
  AgenticApplication: URN.agenticApplication,
  User: URN.user,
  Group: URN.group,
};

/** Attributes never compared with the server's schema nor sent as data of their own. */
const COMMON = new Set(['schemas', 'id', 'externalid', 'meta']);

interface Draft {
  item: PlanItem;
  resource: BoundResource;
  /** Attribute definitions the diff uses (profile's, or User's under the fallback). */
  defs: readonly AttributeDefinition[];
  /** The human key, for the second-chance lookup of a resource whose externalId the server lacks. */
  name?: { attribute: string; value: string };
}

export async function buildPlan(index: WorkspaceIndex, options: PlanOptions): Promise<Plan> {
  const { client, capabilities } = options;
  const only = options.uris ? new Set(options.uris) : undefined;
  const resources = index.resources().filter((r) => !only || only.has(r.uri));
  const warnings: string[] = [];
  const agentSupport = supportsAgents(capabilities);
  const useFallback = options.fallback === 'linked-user' && agentSupport === false;
  if (useFallback) warnings.push('The server has no Agent resource type: agents are provisioned as Users (linked-user fallback); owners, subject, protocols and parent cannot travel.');
  if (capabilities.discovery.resourceTypes !== 'ok') warnings.push(`The server's /ResourceTypes is ${capabilities.discovery.resourceTypes}: conventional endpoints are assumed.`);

  // 1. One draft per resource, with where it goes on the server.
  const drafts: Draft[] = resources.map((resource, i) => {
    const type = resource.resourceType?.name ?? 'resource';
    const item: PlanItem = {
      key: `r${i + 1}`,
      uri: resource.uri,
      span: resourceAnchor(resource),
      label: labelOf(resource),
      resourceType: type,
      action: 'create',
      dependsOn: [],
    };
    let defs: readonly AttributeDefinition[] = resource.resourceType ? attributesOf(resource.profile, resource.resourceType.schema) ?? [] : [];
    const urn = SERVER_URN[type];
    if (!urn) return { item: cannot(item, 'its resource type is not known (check `schemas`)'), resource, defs };
    if (type === 'Agent' && agentSupport === false) {
      if (!useFallback) {
        return { item: cannot(item, 'the server has no Agent resource type (not in /ResourceTypes); choose the linked-user fallback to provision agents as Users'), resource, defs };
      }
      item.serverType = 'User';
      item.endpoint = endpointFor(capabilities, URN.user);
      defs = attributesOf(resource.profile, URN.user) ?? [];
    } else {
      item.serverType = type;
      item.endpoint = endpointFor(capabilities, urn);
    }
    if (!item.endpoint) return { item: cannot(item, `the server has no ${item.serverType} resource type (not in /ResourceTypes)`), resource, defs };
    const served = capabilities.schemas[item.serverType === 'User' ? URN.user : urn];
    const human = humanKeyOf(resource);
    if (served && human && item.serverType === type && !findAttribute(served.attributes, human.attribute)) {
      return { item: cannot(item, `the server's ${type} schema does not define "${human.attribute}" (profile ${resource.profile.id}): the server follows another draft`), resource, defs };
    }
    const lookup = lookupKeyOf(resource, item.serverType === 'User' && type === 'Agent');
    if (!lookup) return { item: cannot(item, 'it has neither an externalId nor a name to look it up by'), resource, defs };
    item.lookup = lookup;
    const name = human && lookup.attribute === 'externalId' ? { attribute: item.serverType === 'User' && type === 'Agent' ? 'userName' : human.attribute, value: human.value } : undefined;
    return { item, resource, defs, ...(name ? { name } : {}) };
  });
  const planned = new Set(drafts.map((d) => d.resource));
  const draftOf = new Map(drafts.map((d) => [d.resource, d]));

  // 2. The references the bodies contain, and what must be read from the server to resolve them.
  const userKeys = new Set<string>();
  const groupKeys = new Set<string>();
  const plainIds = new Set<string>();
  const outside = new Map<string, { endpoint: string; externalIds: Set<string>; names: Set<string>; nameAttribute: string }>();
  const inPlan = (ref: KeyReference): Draft | undefined => {
    const hits = index.resolve(ref).filter((r) => planned.has(r));
    return hits.length === 1 ? draftOf.get(hits[0]!) : undefined;
  };
  for (const d of drafts) {
    for (const site of referenceSites(d.item.resourceType, d.resource.normalized)) {
      if (!site.ref) {
        if (site.attribute === 'owners' || site.attribute === 'members') plainIds.add(site.raw);
        continue;
      }
      const ref = site.ref;
      if (ref.kind === 'user') userKeys.add(ref.key);
      else if (ref.kind === 'group') groupKeys.add(ref.key);
      else if (!inPlan(ref)) {
        const urn = SERVER_URN[RESOURCE_TYPE_OF[ref.kind]]!;
        const endpoint = endpointFor(capabilities, urn);
        if (!endpoint) continue;
        const entry = outside.get(urn) ?? { endpoint, externalIds: new Set(), names: new Set(), nameAttribute: 'name' };
        const declared = index.resolve(ref)[0];
        const ext = declared?.normalized.externalId;
        entry.externalIds.add(typeof ext === 'string' ? ext : ref.key);
        const human = declared ? humanKeyOf(declared) : undefined;
        entry.names.add(human?.value ?? ref.key);
        if (human) entry.nameAttribute = human.attribute;
        outside.set(urn, entry);
      }
    }
  }

  // 3. Batched, verified reads: referenced users and groups, referenced agents/applications outside the plan, the planned resources.
  const usersEndpoint = endpointFor(capabilities, URN.user);
  const groupsEndpoint = endpointFor(capabilities, URN.group);
  const [usersByRef, groupsByRef, idHits, outsideHits, existing] = await Promise.all([
    findWithFallback(client, usersEndpoint, [...userKeys], 'userName', false),
    findWithFallback(client, groupsEndpoint, [...groupKeys], 'displayName', false),
    findPlainIds(client, [usersEndpoint, groupsEndpoint], [...plainIds]),
    Promise.all([...outside.values()].map(async (o) => {
      const byExt = await find(client, o.endpoint, [...o.externalIds], 'externalId', true);
      const byName = await find(client, o.endpoint, [...o.names], o.nameAttribute, false);
      return { o, byExt, byName };
    })),
    findExisting(client, drafts.filter((d) => d.item.action !== 'cannot-apply').map((d) => ({ item: d.item, ...(d.name ? { name: d.name } : {}) }))),
  ]);

  // 4. The directory the owner rules check against, then the lint that gates provisioning.
  const directory: Directory = { users: new Map(), groups: new Map() };
  for (const [key, hits] of usersByRef) if (hits.length === 1) directory.users.set(key.toLowerCase(), directoryEntry(hits[0]!, key, false));
  for (const [key, hits] of groupsByRef) if (hits.length === 1) directory.groups.set(key.toLowerCase(), directoryEntry(hits[0]!, key, true));
  for (const { resource, group } of idHits) {
    const key = String((group ? resource.displayName : resource.userName) ?? resource.id);
    (group ? directory.groups : directory.users).set(`\u0000id:${resource.id}`, directoryEntry(resource, key, group));
  }
  const findings = lintWorkspace(index, { ...options.lint, directory }, only ? new Set(only) : undefined);
  for (const d of drafts) {
    const errors = (findings.get(d.item.uri) ?? []).filter((f) => f.severity === 'error');
    if (errors.length === 0) continue;
    const own = errors.filter((f) => within(f, d.resource));
    d.item.errors = own.length ? own : errors;
    cannot(d.item, `${d.item.uri === errors[0]!.uri ? 'its file' : 'the file'} has ${errors.length} lint error${errors.length === 1 ? '' : 's'}; a file with errors is never applied`);
  }

  // 5. Existing state per item.
  const current = new Map<string, ScimResource>();
  for (const d of drafts) {
    if (d.item.action === 'cannot-apply') continue;
    const hits = existing.hits.get(d.item.key) ?? [];
    const conflict = existing.conflicts.get(d.item.key);
    if (conflict) {
      cannot(d.item, `the server already has a ${d.item.serverType} with ${d.name!.attribute} "${d.name!.value}" but another externalId ("${String(conflict.externalId)}")`);
    } else if (hits.length > 1) {
      cannot(d.item, `${hits.length} resources on the server match ${d.item.lookup!.attribute} "${d.item.lookup!.value}"; refusing to pick one`);
    } else if (hits.length === 1) {
      d.item.existingId = hits[0]!.id;
      const version = versionOf(hits[0]!);
      if (version) d.item.existingVersion = version;
      current.set(d.item.key, hits[0]!);
    }
  }

  // 6. Bodies with references resolved; items blocked by what they depend on.
  const resolveRef = (ref: KeyReference): { value: string; dependsOn?: Draft } | { error: string } => {
    const local = inPlan(ref);
    if (local) {
      if (local.item.existingId) return { value: local.item.existingId, dependsOn: local };
      return { value: `bulkId:${local.item.key}`, dependsOn: local };
    }
    let hits: ScimResource[] | undefined;
    if (ref.kind === 'user') hits = usersByRef.get(ref.key);
    else if (ref.kind === 'group') hits = groupsByRef.get(ref.key);
    else {
      const urn = SERVER_URN[RESOURCE_TYPE_OF[ref.kind]]!;
      const o = outsideHits.find((h) => h.o.endpoint === outside.get(urn)?.endpoint);
      const declared = index.resolve(ref)[0];
      const ext = declared?.normalized.externalId;
      const human = declared ? humanKeyOf(declared)?.value : undefined;
      hits = o?.byExt.get(typeof ext === 'string' ? ext : ref.key);
      if (!hits?.length) hits = o?.byName.get(human ?? ref.key);
    }
    const what = ref.kind === 'application' ? 'AgenticApplication' : ref.kind;
    if (!hits || hits.length === 0) return { error: `${ref.kind}:${ref.key} matches no ${what} on the server${index.resolve(ref).length ? ' (it is declared in a manifest that is not part of this plan)' : ''}` };
    if (hits.length > 1) return { error: `${ref.kind}:${ref.key} matches ${hits.length} ${what}s on the server` };
    return { value: hits[0]!.id };
  };

  const deps = new Map<Draft, Draft[]>();
  for (const d of drafts) {
    if (d.item.action === 'cannot-apply') continue;
    const body = serverBody(d, capabilities);
    const problems: string[] = [];
    const dependsOn: Draft[] = [];
    for (const site of referenceSites(d.item.resourceType, d.resource.normalized)) {
      if (!site.ref) {
        if (site.attribute === 'owners' && !idHits.some((h) => h.resource.id === site.raw)) problems.push(`owner id "${site.raw}" is no user or group on the server`);
        continue;
      }
      const resolved = resolveRef(site.ref);
      if ('error' in resolved) problems.push(resolved.error);
      else {
        rewriteSite(body.body, site, resolved.value);
        if (resolved.dependsOn && resolved.dependsOn !== d) dependsOn.push(resolved.dependsOn);
      }
    }
    if (d.item.resourceType === 'Agent' && referenceSites('Agent', d.resource.normalized).filter((s) => s.attribute === 'owners').length === 0) {
      problems.unshift('an agent without an owner is never created or activated');
    }
    if (problems.length) {
      cannot(d.item, problems.join('; '));
      continue;
    }
    if (d.item.serverType === 'User' && d.item.resourceType === 'Agent') {
      const mapped = agentAsUser(body.body);
      body.body = mapped.body;
      if (mapped.dropped.length) body.warnings.unshift(`provisioned as a User (linked-user fallback); these attributes cannot travel and are not sent: ${mapped.dropped.join(', ')}`);
    }
    d.item.body = body.body;
    if (body.warnings.length) d.item.warnings = body.warnings;
    d.item.dependsOn = [...new Set(dependsOn.map((x) => x.item.key))];
    deps.set(d, dependsOn);
  }
  // A dependency that cannot be applied (and does not exist yet) blocks its dependants, transitively.
  for (let changed = true; changed;) {
    changed = false;
    for (const [d, list] of deps) {
      if (d.item.action === 'cannot-apply') continue;
      const blocker = list.find((x) => x.item.action === 'cannot-apply' && !x.item.existingId);
      if (blocker) {
        cannot(d.item, `it references ${blocker.item.label}, which cannot be applied`);
        changed = true;
      }
    }
  }

  // 7. Create, update with the minimal diff, or unchanged.
  for (const d of drafts) {
    if (d.item.action === 'cannot-apply' || !d.item.body) continue;
    const state = current.get(d.item.key);
    if (!state) {
      d.item.action = 'create';
      continue;
    }
    const diff = diffToPatchOps(state, d.item.body, d.defs);
    if (diff.length === 0) d.item.action = 'unchanged';
    else {
      d.item.action = 'update';
      d.item.diff = diff;
    }
  }

  const items = drafts.map((d) => d.item);
  return {
    endpointHost: endpointHostOf(client.baseUrl),
    baseUrl: client.baseUrl,
    items,
    counts: countActions(items),
    directory,
    warnings,
    findings,
    capabilities,
    current,
  };
}

export function countActions(items: readonly PlanItem[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, unchanged: 0, cannotApply: 0 };
  for (const item of items) {
    if (item.action === 'cannot-apply') counts.cannotApply++;
    else counts[item.action]++;
  }
  return counts;
}

/** Whether applying the plan would change anything on the server. */
export function planHasChanges(plan: Plan): boolean {
  return plan.counts.create + plan.counts.update > 0;
}

function cannot(item: PlanItem, reason: string): PlanItem {
  item.action = 'cannot-apply';
  item.reason = item.reason && item.reason !== reason ? `${item.reason}; ${reason}` : reason;
  delete item.diff;
  return item;
}

function within(f: Finding, r: BoundResource): boolean {
  const span = r.resource.root.span;
  return f.span.start >= span.start && f.span.end <= span.end;
}

/** externalId first, then the human key (name, agentUserName, userName, displayName). */
export function lookupKeyOf(r: BoundResource, asUser: boolean): PlanItem['lookup'] {
  const ext = r.normalized.externalId;
  if (typeof ext === 'string' && ext.trim() !== '') return { attribute: 'externalId', value: ext, caseExact: true };
  const human = humanKeyOf(r);
  if (!human) return undefined;
  return { attribute: asUser ? 'userName' : human.attribute, value: human.value, caseExact: false };
}

/**
 * The SCIM body of a resource: its normalized value without what the server manages (readOnly
 * attributes per the profile, and per the server's own /Schemas when it serves them).
 */
function serverBody(d: Draft, capabilities: ServerCapabilities): { body: Record<string, unknown>; warnings: string[] } {
  const body = structuredClone(d.resource.normalized) as Record<string, unknown>;
  const warnings: string[] = [];
  const profileDefs = d.resource.resourceType ? attributesOf(d.resource.profile, d.resource.resourceType.schema) ?? [] : [];
  for (const name of Object.keys(body)) {
    const def = findAttribute(profileDefs, name)?.def;
    if (name === 'id' || name === 'meta' || def?.mutability === 'readOnly') delete body[name];
  }
  const urn = SERVER_URN[d.item.serverType ?? d.item.resourceType];
  const served = urn ? capabilities.schemas[urn] : undefined;
  if (served && d.item.serverType === d.item.resourceType) {
    const ignored: string[] = [];
    const readOnly: string[] = [];
    for (const name of Object.keys(body)) {
      if (COMMON.has(name.toLowerCase()) || /^urn:/i.test(name)) continue;
      const def = findAttribute(served.attributes, name)?.def;
      if (!def) ignored.push(name);
      else if (def.mutability === 'readOnly') {
        readOnly.push(name);
        delete body[name];
      }
    }
    if (readOnly.length) warnings.push(`the server's schema marks ${readOnly.join(', ')} read-only: not sent`);
    if (ignored.length) warnings.push(`the server's schema does not define ${ignored.join(', ')}: it may ignore ${ignored.length === 1 ? 'it' : 'them'}`);
  }
  return { body, warnings };
}

/** Batched verified lookup; no request when there is nothing to look up. */
async function find(client: ScimClient, endpoint: string | undefined, values: string[], attribute: string, caseExact: boolean): Promise<Map<string, ScimResource[]>> {
  if (!endpoint || values.length === 0) return new Map(values.map((v) => [v, []]));
  return client.findManyByAttribute(endpoint, attribute, values, { caseExact });
}

/** By the human key, then by externalId for the keys that found nothing (`user:<userName or externalId>`). */
async function findWithFallback(client: ScimClient, endpoint: string | undefined, keys: string[], attribute: string, caseExact: boolean): Promise<Map<string, ScimResource[]>> {
  const result = await find(client, endpoint, keys, attribute, caseExact);
  const missing = keys.filter((k) => (result.get(k) ?? []).length === 0);
  if (missing.length) {
    const byExt = await find(client, endpoint, missing, 'externalId', true);
    for (const [k, hits] of byExt) if (hits.length) result.set(k, hits);
  }
  return result;
}

/** Owners and members given as plain server ids: which exist, as users or groups. */
async function findPlainIds(client: ScimClient, endpoints: (string | undefined)[], ids: string[]): Promise<{ resource: ScimResource; group: boolean }[]> {
  const out: { resource: ScimResource; group: boolean }[] = [];
  if (ids.length === 0) return out;
  await Promise.all(endpoints.map(async (endpoint, i) => {
    if (!endpoint) return;
    try {
      const hits = await client.findManyByAttribute(endpoint, 'id', ids, { caseExact: true });
      for (const list of hits.values()) for (const r of list) out.push({ resource: r, group: i === 1 });
    } catch (error) {
      if (!isScimError(error) || error.status !== 400) throw error;
    }
  }));
  return out;
}

/**
 * The server state of each planned item: by externalId (one `or` query per endpoint and ~100 keys),
 * then, for those not found, by the human key, so a resource created without our externalId is
 * adopted instead of duplicated. A same-named resource with another externalId is a conflict.
 */
export async function findExisting(client: ScimClient, entries: { item: PlanItem; name?: { attribute: string; value: string } }[]): Promise<{ hits: Map<string, ScimResource[]>; conflicts: Map<string, ScimResource> }> {
  const out = new Map<string, ScimResource[]>();
  const conflicts = new Map<string, ScimResource>();
  const byEndpoint = new Map<string, typeof entries>();
  for (const e of entries) byEndpoint.set(e.item.endpoint!, [...(byEndpoint.get(e.item.endpoint!) ?? []), e]);
  await Promise.all([...byEndpoint].map(async ([endpoint, list]) => {
    const byAttribute = new Map<string, typeof entries>();
    for (const e of list) byAttribute.set(e.item.lookup!.attribute, [...(byAttribute.get(e.item.lookup!.attribute) ?? []), e]);
    const missing: typeof entries = [];
    for (const [attribute, group] of byAttribute) {
      const hits = await find(client, endpoint, group.map((e) => e.item.lookup!.value), attribute, group[0]!.item.lookup!.caseExact);
      for (const e of group) {
        const found = hits.get(e.item.lookup!.value) ?? [];
        out.set(e.item.key, found);
        if (found.length === 0 && attribute === 'externalId' && e.name) missing.push(e);
      }
    }
    const byName = new Map<string, typeof entries>();
    for (const e of missing) byName.set(e.name!.attribute, [...(byName.get(e.name!.attribute) ?? []), e]);
    for (const [attribute, group] of byName) {
      let hits: Map<string, ScimResource[]>;
      try {
        hits = await find(client, endpoint, group.map((e) => e.name!.value), attribute, false);
      } catch (error) {
        // A server that cannot filter on the name (another draft's attribute): the externalId lookup stands.
        if (isScimError(error) && error.status === 400) continue;
        throw error;
      }
      for (const e of group) {
        const found = hits.get(e.name!.value) ?? [];
        const adoptable = found.filter((r) => r.externalId === undefined || r.externalId === e.item.lookup!.value);
        if (adoptable.length) out.set(e.item.key, adoptable);
        else if (found.length) conflicts.set(e.item.key, found[0]!);
      }
    }
  }));
  return { hits: out, conflicts };
}
