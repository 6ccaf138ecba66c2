/**
 * The provisioning commands as LSP `workspace/executeCommand` handlers, so any editor can plan,
 * apply and deprovision: `scimAgents.plan`, `scimAgents.apply` (only a plan this server returned,
 * by its planId, while its files are unchanged: never apply what was not shown) and
 * `scimAgents.deprovision`. Arguments: one object {uri | uris, endpoint?, token?, planId?, mode?,
 * fallback?}. Untrusted workspaces are refused before anything is sent anywhere.
 */
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import {
  applyPlan,
  buildPlan,
  connect,
  deprovision,
  planHasChanges,
  reconnect,
  renderApplyText,
  renderPlanText,
  type ApplyResult,
  type ItemResult,
  type Plan,
  type RenderOptions,
} from '../../provision';
import { scrubSecrets } from '../../scim/redact';
import { labelOf } from '../../workspace/index';
import type { CommandContext } from '../commands';
import { spanToRange } from '../convert';
import { uriToPath } from '../../util/files';
import type { ServerState } from '../state';
import { PROVISION_SOURCE, type ProvisionDiagnostics } from './diagnostics';
import { ProvisioningError, resolveAuth, resolveEndpoint, type EndpointSettings } from './endpoint';
import { describeFailure } from './failure';
import { withProgress } from './progress';
import { snapshotOf, type ProvisioningStore, type ResourceSync } from './store';

export const PLAN_COMMAND = 'scimAgents.plan';
export const APPLY_COMMAND = 'scimAgents.apply';
export const DEPROVISION_COMMAND = 'scimAgents.deprovision';

/** Which file each diagnostic belongs to (LSP diagnostics do not carry their uri). */
const diagnosticUri = new WeakMap<Diagnostic, string>();

export interface ProvisioningDeps {
  state: ServerState;
  store: ProvisioningStore;
  diagnostics: ProvisionDiagnostics;
  endpointSettings(): Promise<EndpointSettings>;
  refreshLenses(): void;
}

interface Args {
  uri?: unknown;
  uris?: unknown;
  endpoint?: unknown;
  token?: unknown;
  planId?: unknown;
  mode?: unknown;
  fallback?: unknown;
  /** Only the lenses follow the plan (a read on open): no diagnostics, the file's own lint speaks for it. */
  lensesOnly?: unknown;
}

/** Where a plan or result item is, for clients that show lists. */
interface Located {
  uri: string;
  range: ReturnType<typeof spanToRange> | undefined;
  label: string;
}

export async function planCommand(raw: unknown[], ctx: CommandContext, deps: ProvisioningDeps) {
  refuseUntrusted(ctx, 'plan');
  const args = argsOf(raw);
  const uris = urisOf(args, deps.state);
  const fallback = fallbackOf(args.fallback);
  const baseUrl = resolveEndpoint(args.endpoint, await deps.endpointSettings());
  const { auth, token } = resolveAuth(args.token);
  const planned = scrubbed(token, new URL(baseUrl).host, () =>
    withProgress(ctx, `Planning against ${new URL(baseUrl).host}`, async (progress) => {
      progress.report('Discovering the endpoint', 10);
      const conn = await connect({ baseUrl, auth, maxRetries: 3 });
      const texts = new Map(uris.map((uri) => [uri, deps.state.analysis(uri)!.manifest.text]));
      progress.report('Looking up resources', 40);
      const plan = await buildPlan(deps.state.index, { ...conn, uris, lint: { rules: ctx.settings.rules }, ...(fallback ? { fallback } : {}) });
      if (progress.signal.aborted) throw new ProvisioningError('Planning was cancelled.');
      const stored = deps.store.addPlan(plan, texts, fallback);
      rememberPlan(deps, plan);
      if (args.lensesOnly !== true) await publish(deps, uris, texts, planDiagnostics(deps, plan));
      deps.refreshLenses();
      return {
        planId: stored.id,
        endpointHost: plan.endpointHost,
        baseUrl: plan.baseUrl,
        counts: plan.counts,
        hasChanges: planHasChanges(plan),
        warnings: plan.warnings,
        text: renderPlanText(plan, renderOptions(deps)),
        items: plan.items.map((i) => ({
          ...located(deps, i),
          action: i.action,
          ...(i.reason ? { reason: i.reason } : {}),
          ...(i.diff ? { changes: i.diff.length } : {}),
        })),
      };
    }),
  );
  return staleOnFailure(deps, uris, planned);
}

export async function applyCommand(raw: unknown[], ctx: CommandContext, deps: ProvisioningDeps) {
  refuseUntrusted(ctx, 'apply');
  const args = argsOf(raw);
  if (typeof args.planId !== 'string' || !args.planId)
    throw new ProvisioningError('scimAgents.apply needs the "planId" that scimAgents.plan returned: only a plan that was shown is applied.');
  const stored = deps.store.getPlan(args.planId);
  if (!stored) throw new ProvisioningError('Unknown or already applied plan: run scimAgents.plan again and apply the plan it returns.');
  for (const [uri, text] of stored.texts) {
    if (deps.state.analysis(uri)?.manifest.text !== text) {
      throw new ProvisioningError(`The plan is stale: ${fileName(uri)} changed since it was planned. Plan again to see what would be applied.`);
    }
  }
  const { plan } = stored;
  const settings = await deps.endpointSettings();
  if (args.endpoint !== undefined && resolveEndpoint(args.endpoint, settings) !== plan.baseUrl) {
    throw new ProvisioningError(`The plan was made for ${plan.endpointHost}, not for the endpoint given: plan again against that endpoint.`);
  }
  const baseUrl = resolveEndpoint(plan.baseUrl, settings); // the http:// rule may have changed since
  const { auth, token } = resolveAuth(args.token);
  deps.store.consumePlan(stored.id);
  const applied = scrubbed(token, plan.endpointHost, () =>
    withProgress(ctx, `Provisioning to ${plan.endpointHost}`, async (progress) => {
      const { client } = reconnect({ baseUrl, auth, maxRetries: 3 }, plan.capabilities);
      const result = await applyPlan(plan, {
        client,
        signal: progress.signal,
        onProgress: (p) => progress.report(`${p.done}/${p.total} ${p.item.label}`, (100 * p.done) / Math.max(1, p.total)),
      });
      rememberResult(deps, result, plan);
      await publish(deps, [...stored.texts.keys()], stored.texts, resultDiagnostics(deps, result, plan));
      deps.refreshLenses();
      return resultOf(deps, result);
    }),
  );
  return staleOnFailure(deps, [...stored.texts.keys()], applied);
}

export async function deprovisionCommand(raw: unknown[], ctx: CommandContext, deps: ProvisioningDeps) {
  refuseUntrusted(ctx, 'deprovision');
  const args = argsOf(raw);
  const uris = urisOf(args, deps.state);
  const fallback = fallbackOf(args.fallback);
  if (args.mode !== undefined && args.mode !== 'deactivate' && args.mode !== 'delete')
    throw new ProvisioningError('"mode" is "deactivate" (the default) or "delete".');
  const mode = args.mode === 'delete' ? 'delete' : 'deactivate';
  const baseUrl = resolveEndpoint(args.endpoint, await deps.endpointSettings());
  const { auth, token } = resolveAuth(args.token);
  return scrubbed(token, new URL(baseUrl).host, () =>
    withProgress(ctx, `${mode === 'delete' ? 'Deleting' : 'Deactivating'} on ${new URL(baseUrl).host}`, async (progress) => {
      const texts = new Map(uris.map((uri) => [uri, deps.state.analysis(uri)!.manifest.text]));
      const conn = await connect({ baseUrl, auth, maxRetries: 3 });
      const result = await deprovision(deps.state.index, {
        ...conn,
        mode,
        uris,
        signal: progress.signal,
        onProgress: (p) => progress.report(`${p.done}/${p.total} ${p.item.label}`, (100 * p.done) / Math.max(1, p.total)),
        ...(fallback ? { fallback } : {}),
      });
      rememberResult(deps, result);
      await publish(deps, uris, texts, resultDiagnostics(deps, result));
      deps.refreshLenses();
      return resultOf(deps, result);
    }),
  );
}

/** A plan or apply that failed as a whole (endpoint down, token refused) makes the lenses' last known state stale. */
function staleOnFailure<T>(deps: ProvisioningDeps, uris: readonly string[], work: Promise<T>): Promise<T> {
  return work.catch((e: unknown) => {
    deps.store.markStale(uris, e instanceof Error ? e.message : String(e));
    deps.refreshLenses();
    throw e;
  });
}

function refuseUntrusted(ctx: CommandContext, what: string): void {
  if (!ctx.workspaceTrusted) {
    throw new ProvisioningError(
      `Refusing to ${what}: this workspace is not trusted (Restricted Mode). Manifests are still validated; trust the workspace to provision.`,
      'untrusted',
    );
  }
}

function argsOf(raw: unknown[]): Args {
  const first = raw[0];
  if (first === undefined || first === null) return {};
  if (typeof first === 'string') return { uri: first };
  if (typeof first !== 'object' || Array.isArray(first))
    throw new ProvisioningError('The command takes one argument object: {uri | uris, endpoint?, planId?, mode?, fallback?}.');
  return first as Args;
}

/** The manifests to work on: those named (each must be one the server knows), else the whole workspace. */
function urisOf(args: Args, state: ServerState): string[] {
  const named = args.uris !== undefined ? args.uris : args.uri !== undefined ? [args.uri] : undefined;
  if (named === undefined) {
    const all = state.index.uris();
    if (all.length === 0) throw new ProvisioningError('There are no manifests in the workspace to provision.');
    return all;
  }
  if (!Array.isArray(named) || named.length === 0 || !named.every((u) => typeof u === 'string'))
    throw new ProvisioningError('"uri" must be a document URI, "uris" a non-empty list of them.');
  for (const uri of named as string[]) {
    if (!state.analysis(uri)) throw new ProvisioningError(`${fileName(uri)} is not a manifest this server knows (open it, or name it like *.agent.yaml).`);
  }
  return [...new Set(named as string[])];
}

function fallbackOf(value: unknown): 'linked-user' | undefined {
  if (value === undefined || value === null) return undefined;
  if (value !== 'linked-user') throw new ProvisioningError('"fallback" can only be "linked-user" (agents as Users where the server has no Agent type).');
  return value;
}

/** Runs `work`; whatever it throws leaves in the user's words, with the token scrubbed from its message. */
async function scrubbed<T>(token: string, host: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const described = describeFailure(error, host);
    if (described instanceof ProvisioningError) throw new ProvisioningError(scrubSecrets(described.message, [token]), described.kind);
    const message = error instanceof Error ? error.message : String(error);
    throw new ProvisioningError(scrubSecrets(`Provisioning failed: ${message}`, [token]), 'server');
  }
}

function fileName(uri: string): string {
  return path.basename(uriToPath(uri) ?? uri);
}

function renderOptions(deps: ProvisioningDeps): RenderOptions {
  return { fileName, lineOf: (uri, offset) => (deps.state.index.get(uri)?.manifest.lines.positionAt(offset).line ?? 0) + 1 };
}

function located(deps: ProvisioningDeps, item: { uri: string; span: { start: number; end: number }; label: string }): Located {
  const lines = deps.state.index.get(item.uri)?.manifest.lines;
  return { uri: item.uri, range: lines ? spanToRange(lines, item.span) : undefined, label: item.label };
}

function resultOf(deps: ProvisioningDeps, result: ApplyResult) {
  return {
    endpointHost: result.endpointHost,
    counts: result.counts,
    cancelled: result.cancelled,
    text: renderApplyText(result, renderOptions(deps)),
    items: result.items.map((i) => ({
      ...located(deps, i),
      status: i.status,
      ...(i.outcome ? { outcome: i.outcome } : {}),
      ...(i.id ? { id: i.id } : {}),
      ...(i.error ? { error: i.error } : {}),
      ...(i.warnings ? { warnings: i.warnings } : {}),
    })),
  };
}

/** The manifest resource an item came from, for the snapshot the code lens compares with. */
function snapshotFor(deps: ProvisioningDeps, uri: string, label: string): string {
  const resource = deps.state.index.get(uri)?.resources.find((r) => labelOf(r) === label);
  return resource ? snapshotOf(resource) : '{}';
}

function rememberPlan(deps: ProvisioningDeps, plan: Plan): void {
  for (const item of plan.items) {
    const base = { endpointHost: plan.endpointHost, snapshot: snapshotFor(deps, item.uri, item.label) };
    let sync: ResourceSync;
    if (item.action === 'create') sync = { ...base, state: 'not-provisioned' };
    else if (item.action === 'update') sync = { ...base, state: 'drifted', changes: item.diff?.length ?? 0 };
    else if (item.action === 'unchanged') sync = { ...base, state: 'in-sync' };
    else sync = { ...base, state: 'cannot-apply', reason: item.reason ?? 'cannot be applied' };
    deps.store.setSync(item.uri, item.label, sync);
  }
}

function rememberResult(deps: ProvisioningDeps, result: ApplyResult, plan?: Plan): void {
  for (const item of result.items) {
    const base = { endpointHost: result.endpointHost, snapshot: snapshotFor(deps, item.uri, item.label) };
    const set = (sync: ResourceSync) => deps.store.setSync(item.uri, item.label, sync);
    if (item.status === 'failed') set({ ...base, state: 'failed', reason: errorText(item) });
    else if (item.status === 'skipped') {
      // Not attempted (cannot apply, cancelled, blocked): what the plan said still holds.
      if (!plan) set({ ...base, state: 'cannot-apply', reason: item.error?.detail ?? 'skipped' });
    } else if (item.outcome === 'deactivated') set({ ...base, state: 'deactivated' });
    else if (item.outcome === 'deleted' || item.outcome === 'absent') set({ ...base, state: item.outcome === 'deleted' ? 'deleted' : 'not-provisioned' });
    else set({ ...base, state: 'in-sync' });
  }
}

function errorText(item: ItemResult): string {
  const e = item.error;
  if (!e) return 'failed';
  return `${e.status ? `SCIM ${e.status}${e.scimType ? ` ${e.scimType}` : ''}: ` : ''}${e.detail}`;
}

function diagnostic(
  deps: ProvisioningDeps,
  item: { uri: string; span: { start: number; end: number } },
  severity: DiagnosticSeverity,
  code: string,
  message: string,
  data?: unknown,
): Diagnostic | undefined {
  const lines = deps.state.index.get(item.uri)?.manifest.lines;
  if (!lines) return undefined;
  const d: Diagnostic = { range: spanToRange(lines, item.span), severity, source: PROVISION_SOURCE, code, message, ...(data ? { data } : {}) };
  diagnosticUri.set(d, item.uri);
  return d;
}

function planDiagnostics(deps: ProvisioningDeps, plan: Plan): Diagnostic[] {
  return plan.items
    .filter((i) => i.action === 'cannot-apply')
    .map((i) =>
      diagnostic(
        deps,
        i,
        DiagnosticSeverity.Warning,
        'provision-cannot-apply',
        `${i.label} cannot be applied to ${plan.endpointHost}: ${i.reason ?? 'see the plan'}`,
      ),
    )
    .filter((d): d is Diagnostic => d !== undefined);
}

function resultDiagnostics(deps: ProvisioningDeps, result: ApplyResult, plan?: Plan): Diagnostic[] {
  const out: (Diagnostic | undefined)[] = [];
  for (const item of result.items) {
    if (item.status === 'failed') {
      out.push(
        diagnostic(deps, item, DiagnosticSeverity.Error, 'provision-failed', `${item.label} failed on ${result.endpointHost}: ${errorText(item)}`, {
          status: item.error?.status ?? 0,
          ...(item.error?.scimType ? { scimType: item.error.scimType } : {}),
        }),
      );
    } else if (item.status === 'skipped' && !result.cancelled) {
      const reason = plan?.items.find((p) => p.key === item.key)?.reason ?? item.error?.detail ?? 'skipped';
      out.push(
        diagnostic(deps, item, DiagnosticSeverity.Warning, 'provision-cannot-apply', `${item.label} was not applied to ${result.endpointHost}: ${reason}`),
      );
    }
  }
  return out.filter((d): d is Diagnostic => d !== undefined);
}

/** Publishes each file's provisioning diagnostics (tagged with the text they were computed for). */
async function publish(deps: ProvisioningDeps, uris: readonly string[], texts: Map<string, string>, diagnostics: Diagnostic[]): Promise<void> {
  for (const uri of uris) {
    const own = diagnostics.filter((d) => diagnosticUri.get(d) === uri);
    await deps.diagnostics.set(uri, texts.get(uri) ?? '', own);
  }
}
