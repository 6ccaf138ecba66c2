import type { Span } from '../../manifest/text';
import type { Workspace } from '../../workspace/index';
import type { ResourceRecord } from '../../workspace/records';
import { parseReference, type ReferenceKind } from '../../workspace/references';
import type { Directory, DirectoryEntry, RuleContext } from '../types';

export interface OwnerTarget {
  reference: string;
  kind: ReferenceKind | 'id';
  span: Span;
  status: 'ok' | 'unresolved' | 'orphaned' | 'unknown';
  source?: 'workspace' | 'server';
  message: string;
}

/**
 * Resolves each owner of an agent. The directory an owner must be found in is the connected
 * server's users and groups, and the Users and Groups the workspace itself declares. When the
 * workspace declares none of a kind and no server is connected, nothing can be known: 'unknown'.
 */
export function ownerTargets(agent: ResourceRecord, workspace: Workspace, directory: Directory | undefined, declared?: Declared): OwnerTarget[] {
  const out: OwnerTarget[] = [];
  for (const v of agent.references) {
    if (v.attribute !== 'owners' || v.value === undefined || !v.span || v.value.trim() === '') continue;
    out.push(resolveOwner(v.value, v.span, agent, workspace, directory, declared));
  }
  return out;
}

/** How many Users and Groups the workspace declares, when the caller knows already. */
interface Declared {
  User: number;
  Group: number;
}

/**
 * The owner targets the owner rules report (unresolved or orphaned), by agent; an agent with
 * none is left out (most are: 50,000 agents whose owners resolve or cannot be judged kept 50,000
 * lists through a lint). Without a directory, an agent's targets depend only on its own binding
 * and on the Users and Groups the workspace declares (which, in which order, bound how); while
 * those stay the same, an agent whose binding is unchanged keeps its targets from the previous
 * run instead of being resolved again.
 */
export function ownerTargetsOfAgents(workspace: Workspace, ctx: Pick<RuleContext, 'directory'>): Map<ResourceRecord, readonly OwnerTarget[]> {
  const out = new Map<ResourceRecord, readonly OwnerTarget[]>();
  const agents = workspace.ofType('Agent');
  const { directory } = ctx;
  const declared: Declared = { User: workspace.countOf('User'), Group: workspace.countOf('Group') };
  if (directory) {
    // The server's answer holds for this lint run only (the context is made per run), so both
    // owner rules of the run share one resolution of each agent instead of one each.
    let run = runCache.get(ctx);
    if (!run || run.directory !== directory) runCache.set(ctx, (run = { directory, targets: new WeakMap() }));
    for (const agent of agents) {
      let targets = run.targets.get(agent);
      if (!targets) run.targets.set(agent, (targets = reportable(ownerTargets(agent, workspace, directory, declared))));
      if (targets.length > 0) out.set(agent, targets);
    }
    return out;
  }
  const { scope, ownerWorld: world } = workspace.cache;
  if (scope === undefined) {
    // Nothing comes after this run: a weak map entry per agent would only be work for the collector.
    for (let i = 0; i < agents.length; i++) {
      const targets = reportable(ownerTargets(agents[i]!, workspace, undefined, declared));
      if (targets.length > 0) out.set(agents[i]!, targets);
    }
    return out;
  }
  let cache = agentCache.get(scope);
  if (!cache || cache.world !== world) {
    cache = { world, targets: new WeakMap() };
    agentCache.set(scope, cache);
  }
  for (const agent of agents) {
    let targets = cache.targets.get(agent);
    if (!targets) {
      targets = reportable(ownerTargets(agent, workspace, undefined, declared));
      cache.targets.set(agent, targets);
    }
    if (targets.length > 0) out.set(agent, targets);
  }
  return out;
}

const NOTHING_TO_REPORT: readonly OwnerTarget[] = [];

function reportable(targets: OwnerTarget[]): readonly OwnerTarget[] {
  const kept = targets.filter((t) => t.status === 'unresolved' || t.status === 'orphaned');
  return kept.length > 0 ? kept : NOTHING_TO_REPORT;
}

// Targets per record: a record lives as long as its binding (records.ts), so a kept binding keeps them.
const agentCache = new WeakMap<object, { world: number; targets: WeakMap<ResourceRecord, readonly OwnerTarget[]> }>();
const runCache = new WeakMap<object, { directory: Directory; targets: WeakMap<ResourceRecord, readonly OwnerTarget[]> }>();

function resolveOwner(
  value: string,
  span: Span,
  agent: ResourceRecord,
  workspace: Workspace,
  directory: Directory | undefined,
  declared: Declared | undefined,
): OwnerTarget {
  const ref = parseReference(value);
  const base = { reference: value, span };
  if (!ref) {
    if (!directory) return targetOf(base, 'id', 'unknown', '');
    const found = findById(directory, value);
    if (!found) return targetOf(base, 'id', 'unresolved', `No user or group with id "${value}" exists on the server.`);
    return judge(base, 'id', found.entry, found.group, 'server');
  }
  if (ref.kind !== 'user' && ref.kind !== 'group') {
    return targetOf(base, ref.kind, 'unresolved', `Owners must be users or groups ("user:…" or "group:…"), not "${ref.kind}:".`);
  }
  const type = ref.kind === 'user' ? 'User' : 'Group';
  // With no resource of the type declared, nothing in the workspace can resolve the reference.
  const local = declared?.[type] === 0 ? undefined : workspace.resolve(ref)[0];
  if (local) {
    if (local.inactive) {
      return targetOf(base, ref.kind, 'orphaned', `The owner ${local.label} is inactive, so ${agent.label} has no active accountable owner.`, 'workspace');
    }
  }
  if (directory) {
    const map = ref.kind === 'user' ? directory.users : directory.groups;
    const entry = map.get(ref.key.toLowerCase());
    if (entry) return judge(base, ref.kind, entry, ref.kind === 'group', 'server');
    // An incomplete listing proves no absence: the plan says the owner could not be looked up.
    if (!local && directory.unsure?.[ref.kind === 'user' ? 'users' : 'groups'].has(ref.key.toLowerCase())) return targetOf(base, ref.kind, 'unknown', '');
    if (!local) return targetOf(base, ref.kind, 'unresolved', `No ${type.toLowerCase()} "${ref.key}" in the workspace or on the server.`);
  }
  if (local) return targetOf(base, ref.kind, 'ok', '', 'workspace');
  if ((declared ? declared[type] : workspace.countOf(type)) === 0) return targetOf(base, ref.kind, 'unknown', '');
  return targetOf(
    base,
    ref.kind,
    'unresolved',
    `No ${type} "${ref.key}" is declared in the workspace's manifests (connect an endpoint to check the server's ${type === 'User' ? 'users' : 'groups'}).`,
  );
}

type Where = Pick<OwnerTarget, 'reference' | 'span'>;

/**
 * One literal, every field in one order: `{ ...base, kind, … }` cost V8 a microsecond per
 * target (a spread followed by more fields takes its slow path), a tenth of a second per
 * 50,000 agents.
 */
function targetOf(at: Where, kind: OwnerTarget['kind'], status: OwnerTarget['status'], message: string, source?: OwnerTarget['source']): OwnerTarget {
  return { reference: at.reference, kind, span: at.span, status, source, message };
}

function judge(base: Where, kind: ReferenceKind | 'id', entry: DirectoryEntry, isGroup: boolean, source: 'server'): OwnerTarget {
  if (!entry.active) {
    return targetOf(base, kind, 'orphaned', `The owner "${entry.key}" is inactive or deleted on the server; assign an active owner.`, source);
  }
  if (isGroup && entry.memberCount === 0) {
    return targetOf(base, kind, 'orphaned', `The owning group "${entry.key}" has no members on the server, so nobody is accountable.`, source);
  }
  return targetOf(base, kind, 'ok', '', source);
}

function findById(directory: Directory, id: string): { entry: DirectoryEntry; group: boolean } | undefined {
  for (const e of directory.users.values()) if (e.id === id) return { entry: e, group: false };
  for (const e of directory.groups.values()) if (e.id === id) return { entry: e, group: true };
  return undefined;
}
