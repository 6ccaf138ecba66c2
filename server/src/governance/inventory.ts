/**
 * The inventory: every Agent and AgenticApplication of a workspace with owners, credential state,
 * application membership and (given a plan against an endpoint) provisioning state.
 */
import type { Plan } from '../provision/types';
import type { BoundResource } from '../model/bind';
import { RULE_CODES } from '../rules/registry';
import type { Directory, Finding, SeveritySetting } from '../rules/types';
import { isAssigned, subValue, valuesOf } from '../model/values';
import { resourceAnchor } from '../workspace/keys';
import { humanKeyOf, labelOf, type WorkspaceIndex } from '../workspace/index';
import { lintWorkspace } from '../lint/linter';
import { redactorFor } from '../lint/redact';
import { parseReference } from '../workspace/references';
import { CREDENTIAL_CODES, credentialOf } from './credentials';
import { ownersOf } from './owners';
import { planItemFor, provisioningOf } from './provisioning';
import type { Inventory, InventoryItem } from './types';
import { appendTo } from '../util/maps';

export interface InventoryOptions {
  /** "Now" for certificate validity (tests pin it). */
  now?: Date;
  /** A plan against the endpoint: provisioning state, and its directory for owners. */
  plan?: Plan;
  /** Users and groups of a server, when there is a directory but no plan. */
  directory?: Directory;
  /** How a file is named in owner descriptions (default: its uri). */
  fileName?: (uri: string) => string;
}

/**
 * Only the credential rules, at their default severities (a user's overrides tune the editor, not
 * the audit). Owners are judged by the owner rules' own analysis (owners.ts).
 */
const INVENTORY_CODES = new Set<string>(CREDENTIAL_CODES);
const ONLY_INVENTORY_RULES: Record<string, SeveritySetting> = Object.fromEntries(RULE_CODES.filter((c) => !INVENTORY_CODES.has(c)).map((c) => [c, 'off']));

export function buildInventory(index: WorkspaceIndex, options: InventoryOptions = {}): Inventory {
  const now = options.now ?? new Date();
  const directory = options.plan?.directory ?? options.directory;
  const fileName = options.fileName ?? ((uri: string) => uri);
  const findings = lintWorkspace(index, { rules: ONLY_INVENTORY_RULES, now, ...(directory ? { directory } : {}) });
  const resources = index.resources().filter((r) => r.resourceType?.name === 'Agent' || r.resourceType?.name === 'AgenticApplication');
  const keyOf = new Map(resources.map((r) => [r, `${r.uri}#${r.resource.index}`]));

  // Applications ↔ agents, through the applications' `agent:` references.
  const appsOfAgent = new Map<BoundResource, BoundResource[]>();
  const agentsOfApp = new Map<BoundResource, BoundResource[]>();
  for (const app of resources.filter((r) => r.resourceType?.name === 'AgenticApplication')) {
    const listed: BoundResource[] = [];
    for (const item of valuesOf(app, 'agents')) {
      const ref = parseReference(subValue(app, item, 'value')?.value);
      if (ref?.kind !== 'agent') continue;
      for (const agent of index.resolve(ref)) {
        if (!keyOf.has(agent) || listed.includes(agent)) continue;
        listed.push(agent);
        appendTo(appsOfAgent, agent, app);
      }
    }
    agentsOfApp.set(app, listed);
  }

  const items = resources.map((r): InventoryItem => {
    const kind = r.resourceType!.name as InventoryItem['kind'];
    const own = ownFindings(findings.get(r.uri) ?? [], r);
    const apps = appsOfAgent.get(r) ?? [];
    const issuers = kind === 'Agent' ? [...new Set(apps.flatMap(issuersOf))] : issuersOf(r);
    const owners = kind === 'Agent' ? ownersOf(r, index, directory, fileName) : [];
    const orphaned = owners.some((o) => o.status === 'orphaned');
    const credential = credentialOf(
      r,
      own,
      now,
      apps.some((a) => isAssigned(a.normalized.oAuthConfiguration)),
    );
    const anchor = resourceAnchor(r);
    const lines = r.manifest.lines;
    const start = lines.positionAt(anchor.start);
    const n = r.normalized;
    const provisioning = options.plan ? provisioningOf(planItemFor(options.plan, r), orphaned) : undefined;
    return {
      key: keyOf.get(r)!,
      kind,
      label: labelOf(r),
      name: humanKeyOf(r)?.value ?? (typeof n.externalId === 'string' ? n.externalId : labelOf(r)),
      ...(typeof n.displayName === 'string' ? { displayName: n.displayName } : {}),
      ...(typeof n.externalId === 'string' ? { externalId: n.externalId } : {}),
      uri: r.uri,
      range: { start, end: lines.positionAt(anchor.end) },
      line: start.line + 1,
      profile: r.profile.id,
      ...(typeof n.active === 'boolean' ? { active: n.active } : {}),
      owners,
      ...(typeof n.subject === 'string' && n.subject !== '' ? { subject: n.subject } : {}),
      issuers,
      credential,
      applications: apps.map((a) => keyOf.get(a)!),
      agents: (agentsOfApp.get(r) ?? []).map((a) => keyOf.get(a)!),
      orphaned,
      ...(provisioning ? { provisioning } : {}),
    };
  });
  // Names, subjects and credential details quote the manifest: never its secret material.
  const redactor = redactorFor(index.resources());
  return {
    items: redactor.applyDeep(items),
    ...(options.plan ? { endpointHost: options.plan.endpointHost } : {}),
    generatedAt: now.toISOString(),
  };
}

/** `oAuthConfiguration[].issuerUri` of an application: who signs the tokens of its agents. */
export function issuersOf(app: BoundResource): string[] {
  const out: string[] = [];
  for (const item of valuesOf(app, 'oAuthConfiguration')) {
    const iss = subValue(app, item, 'issuerUri')?.value;
    if (typeof iss === 'string' && iss.trim() !== '' && !out.includes(iss)) out.push(iss);
  }
  return out;
}

function ownFindings(findings: readonly Finding[], r: BoundResource): Finding[] {
  const span = r.resource.root.span;
  return findings.filter((f) => f.span.start >= span.start && f.span.end <= span.end);
}
