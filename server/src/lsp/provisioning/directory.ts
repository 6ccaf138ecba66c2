/**
 * `scimAgents.refreshDirectory` {endpoint?, token?}: the server-backed owner checks. Lists the
 * connected server's Users and Groups (provision/directory.ts), keeps them for completion of
 * `user:`/`group:` references, and publishes owner-unresolved / owner-orphaned findings against
 * them as their own diagnostics (source `scim-agents-server`), so the editor shows the same
 * findings the plan gates on. Clients run it on save and on request, never per keystroke.
 */
import { connect } from '../../provision';
import { fetchDirectory } from '../../provision/directory';
import { RULES } from '../../rules/registry';
import type { SeveritySetting } from '../../rules/types';
import { scrubSecrets } from '../../scim/redact';
import { lintWorkspace } from '../../lint/linter';
import type { CommandContext } from '../commands';
import { toDiagnostic } from '../convert';
import { ProvisioningError, resolveAuth, resolveEndpoint } from './endpoint';
import { describeFailure } from './failure';
import { SERVER_CHECK_SOURCE } from './diagnostics';
import type { ProvisioningDeps } from './commands';

export const REFRESH_DIRECTORY_COMMAND = 'scimAgents.refreshDirectory';
const SERVER_CODES = new Set(['owner-unresolved', 'owner-orphaned']);

export async function refreshDirectoryCommand(raw: unknown[], ctx: CommandContext, deps: ProvisioningDeps) {
  if (!ctx.workspaceTrusted) throw new ProvisioningError('This workspace is not trusted: SCIM Agents never calls an endpoint from it.', 'untrusted');
  const args = (raw[0] && typeof raw[0] === 'object' ? raw[0] : {}) as { endpoint?: unknown; token?: unknown };
  const baseUrl = resolveEndpoint(args.endpoint, await deps.endpointSettings());
  const { auth, token } = resolveAuth(args.token);
  const host = new URL(baseUrl).host;
  let fetched;
  try {
    fetched = await fetchDirectory(await connect({ baseUrl, auth, maxRetries: 2, timeoutMs: 15_000 }));
  } catch (e) {
    const described = describeFailure(e, host);
    throw new ProvisioningError(scrubSecrets((described as Error).message, [token]), described instanceof ProvisioningError ? described.kind : 'server');
  }
  deps.state.serverDirectory = { host, users: fetched.users.map((u) => u.key), groups: fetched.groups.map((g) => g.key) };
  let problems = 0;
  const rules: Record<string, SeveritySetting> = {};
  for (const r of RULES) rules[r.code] = SERVER_CODES.has(r.code) ? (ctx.settings.rules[r.code] ?? r.defaultSeverity) : 'off';
  const findings = fetched.directory ? lintWorkspace(deps.state.index, { rules, directory: fetched.directory }) : new Map();
  for (const uri of new Set([...deps.state.index.uris(), ...deps.diagnostics.uris('server')])) {
    const analysis = deps.state.analysis(uri);
    if (!analysis) continue;
    // What the file's own lint already says (a workspace-declared owner) is not said twice.
    const local = new Set(deps.state.findings(uri).map((f) => `${f.code}@${f.span.start}`));
    const own = (findings.get(uri) ?? []).filter((f: { code: string; span: { start: number } }) => !local.has(`${f.code}@${f.span.start}`));
    problems += own.length;
    const diagnostics = own.map((f: Parameters<typeof toDiagnostic>[1]) => ({
      ...toDiagnostic(analysis.manifest.lines, f),
      source: SERVER_CHECK_SOURCE,
      message: `${f.message} (${host})`,
    }));
    await deps.diagnostics.set(uri, analysis.manifest.text, diagnostics, 'server');
  }
  return { endpointHost: host, users: fetched.users.length, groups: fetched.groups.length, complete: fetched.complete, problems };
}
