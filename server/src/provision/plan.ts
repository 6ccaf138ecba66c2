/**
 * buildPlan: what applying the manifests would change on a SCIM server, per resource, without
 * writing anything. It runs in seven named phases (see buildPlan); reads are batched and every
 * match is verified client-side (lookups.ts), bodies are fitted to the server (bodies.ts).
 */
import {
  endpointFor,
  isAddressableId,
  supportsAgents,
  unaddressableIdDetail,
  versionOf,
  type ScimClient,
  type ScimResource,
  type ServerCapabilities,
} from '../scim';
import { attributesOf, findAttribute } from '../schema/attributes';
import { URN, type AttributeDefinition } from '../schema/types';
import type { BoundResource } from '../model/bind';
import type { Directory, Finding } from '../rules/types';
import { resourceAnchor } from '../workspace/keys';
import { humanKeyOf, labelOf, type WorkspaceIndex } from '../workspace/index';
import { lintWorkspace, prelintResources, type EarlyLint, type LintOptions } from '../lint/linter';
import { RESOURCE_TYPE_OF, type KeyReference } from '../workspace/references';
import { fitToServerSchema, SERVER_URN, serverBody } from './bodies';
import { endpointHostOf } from './connect';
import { diffItem } from './diff';
import { agentAsUser } from './fallback';
import { directoryEntry } from './directory';
import { find, findExisting, findPlainIds, findWithFallback, type ExistingState, type Found } from './lookups';
import { referenceSites, rewriteSite, type ReferenceSite } from './references';
import type { Plan, PlanCounts, PlanItem } from './types';

export { fitToServerSchema } from './bodies';
export { findExisting, type ExistingState } from './lookups';

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

interface Draft {
  item: PlanItem;
  resource: BoundResource;
  /** Attribute definitions the diff uses (profile's, or User's under the fallback). */
  defs: readonly AttributeDefinition[];
  /** The human key, for the second-chance lookup of a resource whose externalId the server lacks. */
  name?: { attribute: string; value: string };
  /** The references of its body, found once (phases 2 and 6 both walk them). */
  sites?: ReferenceSite[];
}

/** What one plan run knows, shared by its phases. */
interface PlanRun {
  index: WorkspaceIndex;
  options: PlanOptions;
  client: ScimClient;
  capabilities: ServerCapabilities;
  only: Set<string> | undefined;
  agentSupport: ReturnType<typeof supportsAgents>;
  useFallback: boolean;
  drafts: Draft[];
  /** The single planned resource a reference names, if any. */
  inPlan: (ref: KeyReference) => Draft | undefined;
}

/** References to agents or applications that are not part of this plan, per server endpoint. */
interface OutsideRead {
  endpoint: string;
  externalIds: Set<string>;
  names: Set<string>;
  nameAttribute: string;
}

interface ReadNeeds {
  userKeys: Set<string>;
  groupKeys: Set<string>;
  plainIds: Set<string>;
  outside: Map<string, OutsideRead>;
}

interface ServerReads {
  usersByRef: Found;
  groupsByRef: Found;
  idHits: { resource: ScimResource; group: boolean }[];
  outsideHits: { o: OutsideRead; byExt: Found; byName: Found }[];
  existing: ExistingState;
}

export async function buildPlan(index: WorkspaceIndex, options: PlanOptions): Promise<Plan> {
  const { client, capabilities } = options;
  const only = options.uris ? new Set(options.uris) : undefined;
  const agentSupport = supportsAgents(capabilities);
  const useFallback = options.fallback === 'linked-user' && agentSupport === false;
  const warnings: string[] = [];
  if (useFallback)
    warnings.push(
      'The server has no Agent resource type: agents are provisioned as Users (linked-user fallback); owners, subject, protocols and parent cannot travel.',
    );
  if (capabilities.discovery.resourceTypes !== 'ok')
    warnings.push(`The server's /ResourceTypes is ${capabilities.discovery.resourceTypes}: conventional endpoints are assumed.`);

  const run: PlanRun = { index, options, client, capabilities, only, agentSupport, useFallback, drafts: [], inPlan: () => undefined };
  run.drafts = index
    .resources()
    .filter((r) => !only || only.has(r.uri))
    .map((r, i) => draftItem(run, r, i));
  const planned = new Set(run.drafts.map((d) => d.resource));
  const draftOf = new Map(run.drafts.map((d) => [d.resource, d]));
  // Phases 2 and 6 ask this of every reference (10,000 applications' agents each twice): once per key.
  const inPlanOf = new Map<string, Draft | undefined>();
  run.inPlan = (ref) => {
    const k = `${ref.kind}\u0000${ref.key}`;
    if (inPlanOf.has(k)) return inPlanOf.get(k);
    const hits = index.resolve(ref).filter((r) => planned.has(r));
    const found = hits.length === 1 ? draftOf.get(hits[0]!) : undefined;
    inPlanOf.set(k, found);
    return found;
  };

  const needs = neededReads(run);
  const reading = readServer(run, needs);
  // Its failure is the await's below; until then it must not count as unhandled.
  reading.catch(() => {});
  // While the reads are in flight: the lint rules that need no server answer (the resource
  // rules' findings kept in the index's memo, the workspace rules' in `early`, where the gating
  // lint finds them). A re-plan of 11,000 resources otherwise waited on the network, then linted.
  const early = await prelintResources(run.index, run.options.lint, run.only);
  const reads = await reading;
  const { directory, findings } = gateOnLint(run, reads, early);
  const current = matchExisting(run, reads.existing);
  resolveBodies(run, needs, reads);
  chooseActions(run, current);

  const items = run.drafts.map((d) => d.item);
  return {
    attributeDefs: new Map(run.drafts.map((d) => [d.item.key, d.defs])),
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

/** Phase 1: one draft per resource, with where it goes on the server and what it is looked up by. */
function draftItem(run: PlanRun, resource: BoundResource, i: number): Draft {
  const { capabilities } = run;
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
  let defs: readonly AttributeDefinition[] = resource.resourceType ? (attributesOf(resource.profile, resource.resourceType.schema) ?? []) : [];
  const urn = SERVER_URN[type];
  if (!urn) return { item: cannot(item, 'its resource type is not known (check `schemas`)'), resource, defs };
  if (type === 'Agent' && run.agentSupport === false) {
    if (!run.useFallback) {
      return {
        item: cannot(
          item,
          `the server has no Agent resource type (${absenceEvidence(capabilities, URN.agent)}); run with --fallback linked-user to provision agents as Users`,
        ),
        resource,
        defs,
      };
    }
    item.serverType = 'User';
    item.endpoint = endpointFor(capabilities, URN.user);
    defs = attributesOf(resource.profile, URN.user) ?? [];
  } else {
    item.serverType = type;
    item.endpoint = endpointFor(capabilities, urn);
  }
  if (!item.endpoint)
    return {
      item: cannot(item, `the server has no ${item.serverType} resource type (${absenceEvidence(capabilities, item.serverType === 'User' ? URN.user : urn)})`),
      resource,
      defs,
    };
  const served = capabilities.schemas[item.serverType === 'User' ? URN.user : urn];
  const human = humanKeyOf(resource);
  if (served && human && item.serverType === type && !findAttribute(served.attributes, human.attribute)) {
    return {
      item: cannot(item, `the server's ${type} schema does not define "${human.attribute}" (profile ${resource.profile.id}): the server follows another draft`),
      resource,
      defs,
    };
  }
  const lookup = lookupKeyOf(resource, item.serverType === 'User' && type === 'Agent');
  if (!lookup) return { item: cannot(item, 'it has neither an externalId nor a name to look it up by'), resource, defs };
  item.lookup = lookup;
  const name =
    human && lookup.attribute === 'externalId'
      ? { attribute: item.serverType === 'User' && type === 'Agent' ? 'userName' : human.attribute, value: human.value }
      : undefined;
  return { item, resource, defs, ...(name ? { name } : {}) };
}

/** Phase 2: the references the bodies contain, and what must be read from the server to resolve them. */
function neededReads(run: PlanRun): ReadNeeds {
  const needs: ReadNeeds = { userKeys: new Set(), groupKeys: new Set(), plainIds: new Set(), outside: new Map() };
  for (const d of run.drafts) {
    for (const site of sitesOf(d)) {
      if (!site.ref) {
        if (site.attribute === 'owners' || site.attribute === 'members') needs.plainIds.add(site.raw);
        continue;
      }
      const ref = site.ref;
      if (ref.kind === 'user') needs.userKeys.add(ref.key);
      else if (ref.kind === 'group') needs.groupKeys.add(ref.key);
      else if (!run.inPlan(ref)) {
        const urn = SERVER_URN[RESOURCE_TYPE_OF[ref.kind]]!;
        const endpoint = endpointFor(run.capabilities, urn);
        if (!endpoint) continue;
        const entry = needs.outside.get(urn) ?? { endpoint, externalIds: new Set(), names: new Set(), nameAttribute: 'name' };
        const declared = run.index.resolve(ref)[0];
        const ext = declared?.normalized.externalId;
        entry.externalIds.add(typeof ext === 'string' ? ext : ref.key);
        const human = declared ? humanKeyOf(declared) : undefined;
        entry.names.add(human?.value ?? ref.key);
        if (human) entry.nameAttribute = human.attribute;
        needs.outside.set(urn, entry);
      }
    }
  }
  return needs;
}

function sitesOf(d: Draft): ReferenceSite[] {
  return (d.sites ??= referenceSites(d.item.resourceType, d.resource.normalized));
}

/** Phase 3: batched, verified reads: referenced users and groups, referenced agents/applications outside the plan, the planned resources. */
async function readServer(run: PlanRun, needs: ReadNeeds): Promise<ServerReads> {
  const { client, capabilities } = run;
  const usersEndpoint = endpointFor(capabilities, URN.user);
  const groupsEndpoint = endpointFor(capabilities, URN.group);
  const [usersByRef, groupsByRef, idHits, outsideHits, existing] = await Promise.all([
    findWithFallback(client, usersEndpoint, [...needs.userKeys], 'userName', false),
    findWithFallback(client, groupsEndpoint, [...needs.groupKeys], 'displayName', false),
    findPlainIds(client, usersEndpoint, groupsEndpoint, [...needs.plainIds]),
    Promise.all(
      [...needs.outside.values()].map(async (o) => {
        const byExt = await find(client, o.endpoint, [...o.externalIds], 'externalId', true);
        const byName = await find(client, o.endpoint, [...o.names], o.nameAttribute, false);
        return { o, byExt, byName };
      }),
    ),
    findExisting(
      client,
      run.drafts.filter((d) => d.item.action !== 'cannot-apply').map((d) => ({ item: d.item, ...(d.name ? { name: d.name } : {}) })),
    ),
  ]);
  return { usersByRef, groupsByRef, idHits, outsideHits, existing };
}

/** Phase 4: the directory the owner rules check against, then the lint that gates provisioning. */
function gateOnLint(run: PlanRun, reads: ServerReads, early: EarlyLint): { directory: Directory; findings: Map<string, Finding[]> } {
  const lower = (keys: Set<string>) => new Set([...keys].map((k) => k.toLowerCase()));
  const directory: Directory = {
    users: new Map(),
    groups: new Map(),
    unsure: { users: lower(reads.usersByRef.unknown), groups: lower(reads.groupsByRef.unknown) },
  };
  for (const [key, hits] of reads.usersByRef.found) if (hits.length === 1) directory.users.set(key.toLowerCase(), directoryEntry(hits[0]!, key, false));
  for (const [key, hits] of reads.groupsByRef.found) if (hits.length === 1) directory.groups.set(key.toLowerCase(), directoryEntry(hits[0]!, key, true));
  for (const { resource, group } of reads.idHits) {
    const key = String((group ? resource.displayName : resource.userName) ?? resource.id);
    (group ? directory.groups : directory.users).set(`\u0000id:${resource.id}`, directoryEntry(resource, key, group));
  }
  const findings = lintWorkspace(run.index, { ...run.options.lint, directory }, run.only ? new Set(run.only) : undefined, early);
  // Once per file, not per resource: a file of n resources has up to n findings.
  const errorsOf = new Map<string, Finding[]>();
  for (const [uri, list] of findings)
    errorsOf.set(
      uri,
      list.filter((f) => f.severity === 'error'),
    );
  for (const d of run.drafts) {
    const errors = errorsOf.get(d.item.uri) ?? [];
    if (errors.length === 0) continue;
    const own = errors.filter((f) => within(f, d.resource));
    d.item.errors = own.length ? own : errors;
    cannot(
      d.item,
      `${d.item.uri === errors[0]!.uri ? 'its file' : 'the file'} has ${errors.length} lint error${errors.length === 1 ? '' : 's'}; a file with errors is never applied`,
    );
  }
  return { directory, findings };
}

/** Phase 5: the server's state of each item, or why it cannot be told. */
function matchExisting(run: PlanRun, existing: ExistingState): Map<string, ScimResource> {
  const current = new Map<string, ScimResource>();
  for (const d of run.drafts) {
    if (d.item.action === 'cannot-apply') continue;
    const hits = existing.hits.get(d.item.key) ?? [];
    const conflict = existing.conflicts.get(d.item.key);
    const hostile = hits.find((h) => !isAddressableId(h.id));
    if (hostile) {
      cannot(d.item, unaddressableIdDetail(hostile.id));
    } else if (hits.length === 0 && existing.unknown.has(d.item.key)) {
      cannot(d.item, `whether it already exists on the server cannot be told: ${UNKNOWN_REASON}; nothing is created on an incomplete answer`);
    } else if (conflict) {
      cannot(
        d.item,
        `the server already has a ${d.item.serverType} with ${d.name!.attribute} "${d.name!.value}" but another externalId ("${String(conflict.externalId)}")`,
      );
    } else if (hits.length > 1) {
      cannot(d.item, `${hits.length} resources on the server match ${d.item.lookup!.attribute} "${d.item.lookup!.value}"; refusing to pick one`);
    } else if (hits.length === 1) {
      d.item.existingId = hits[0]!.id;
      const version = versionOf(hits[0]!);
      if (version) d.item.existingVersion = version;
      current.set(d.item.key, hits[0]!);
    }
  }
  return current;
}

/** Phase 6: bodies with references resolved to ids (or `bulkId:`), and items blocked by what they depend on. */
function resolveBodies(run: PlanRun, needs: ReadNeeds, reads: ServerReads): void {
  const deps = new Map<Draft, Draft[]>();
  for (const d of run.drafts) {
    if (d.item.action === 'cannot-apply') continue;
    const body = serverBody(d.resource);
    const problems: string[] = [];
    const dependsOn: Draft[] = [];
    for (const site of sitesOf(d)) {
      if (!site.ref) {
        if (site.attribute === 'owners' && !reads.idHits.some((h) => h.resource.id === site.raw))
          problems.push(`owner id "${site.raw}" is no user or group on the server`);
        continue;
      }
      const resolved = resolveReference(run, needs, reads, site.ref);
      if ('error' in resolved) problems.push(resolved.error);
      else {
        rewriteSite(body.body, site, resolved.value);
        if (resolved.dependsOn && resolved.dependsOn !== d) dependsOn.push(resolved.dependsOn);
      }
    }
    if (d.item.resourceType === 'Agent' && !sitesOf(d).some((s) => s.attribute === 'owners')) {
      problems.unshift('an agent without an owner is never created or activated');
    }
    if (problems.length) {
      cannot(d.item, problems.join('; '));
      continue;
    }
    if (d.item.serverType === 'User' && d.item.resourceType === 'Agent') {
      const mapped = agentAsUser(body.body);
      body.body = mapped.body;
      if (mapped.dropped.length)
        body.warnings.unshift(`provisioned as a User (linked-user fallback); these attributes cannot travel and are not sent: ${mapped.dropped.join(', ')}`);
    }
    body.warnings.push(...fitToServerSchema(body.body, d.item.serverType!, run.capabilities));
    d.item.body = body.body;
    if (body.warnings.length) d.item.warnings = body.warnings;
    d.item.dependsOn = [...new Set(dependsOn.map((x) => x.item.key))];
    deps.set(d, dependsOn);
  }
  blockDependants(deps);
}

/** What one reference resolves to: a planned resource (its id, or its bulkId when it is new), or a server id. */
function resolveReference(run: PlanRun, needs: ReadNeeds, reads: ServerReads, ref: KeyReference): { value: string; dependsOn?: Draft } | { error: string } {
  const local = run.inPlan(ref);
  if (local) {
    if (local.item.existingId) return { value: local.item.existingId, dependsOn: local };
    return { value: `bulkId:${local.item.key}`, dependsOn: local };
  }
  let hits: ScimResource[] | undefined;
  let unsure: boolean;
  if (ref.kind === 'user') {
    hits = reads.usersByRef.found.get(ref.key);
    unsure = reads.usersByRef.unknown.has(ref.key);
  } else if (ref.kind === 'group') {
    hits = reads.groupsByRef.found.get(ref.key);
    unsure = reads.groupsByRef.unknown.has(ref.key);
  } else {
    const urn = SERVER_URN[RESOURCE_TYPE_OF[ref.kind]]!;
    const o = reads.outsideHits.find((h) => h.o.endpoint === needs.outside.get(urn)?.endpoint);
    const declared = run.index.resolve(ref)[0];
    const ext = declared?.normalized.externalId;
    const human = declared ? humanKeyOf(declared)?.value : undefined;
    hits = o?.byExt.found.get(typeof ext === 'string' ? ext : ref.key);
    if (!hits?.length) hits = o?.byName.found.get(human ?? ref.key);
    unsure = !hits?.length && Boolean(o && (o.byExt.unknown.size || o.byName.unknown.size));
  }
  const what = ref.kind === 'application' ? 'AgenticApplication' : ref.kind;
  if (!hits?.length && unsure) return { error: `${ref.kind}:${ref.key} cannot be looked up reliably: ${UNKNOWN_REASON}` };
  if (hits?.length === 1 && !isAddressableId(hits[0]!.id)) return { error: `${ref.kind}:${ref.key}: ${unaddressableIdDetail(hits[0]!.id)}` };
  if (!hits || hits.length === 0)
    return {
      error: `${ref.kind}:${ref.key} matches no ${what} on the server${run.index.resolve(ref).length ? ' (it is declared in a manifest that is not part of this plan)' : ''}`,
    };
  if (hits.length > 1) return { error: `${ref.kind}:${ref.key} matches ${hits.length} ${what}s on the server` };
  return { value: hits[0]!.id };
}

/** A dependency that cannot be applied (and does not exist yet) blocks its dependants, transitively. */
function blockDependants(deps: Map<Draft, Draft[]>): void {
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
}

/** Phase 7: create, update with the minimal diff (the one apply sends), or unchanged. */
function chooseActions(run: PlanRun, current: Map<string, ScimResource>): void {
  for (const d of run.drafts) {
    if (d.item.action === 'cannot-apply' || !d.item.body) continue;
    const state = current.get(d.item.key);
    if (!state) {
      d.item.action = 'create';
      continue;
    }
    const diff = diffItem(d.defs, state, d.item.body);
    if (diff.length === 0) d.item.action = 'unchanged';
    else {
      d.item.action = 'update';
      d.item.diff = diff;
    }
  }
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

/** Why a planned item's existence is unknown (see filterTrust.ts). */
const UNKNOWN_REASON = "the server's answers were cut off (a page cap, or paging that stopped early)";

/** The evidence that a server lacks a resource type, in words. */
function absenceEvidence(capabilities: ServerCapabilities, urn: string): string {
  return capabilities.absent?.includes(urn) ? 'its endpoint answered 404, and the server offers no /ResourceTypes' : 'not in its /ResourceTypes';
}
