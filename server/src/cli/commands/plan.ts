/**
 * `scim-agents plan`: what `apply` would change on the endpoint, resource by resource, without
 * writing anything. Shared helpers of the provisioning commands live here too.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { buildPlan, connect, planHasChanges, renderPlanText, type Connection, type Plan, type PlanOptions, type RenderOptions } from '../../provision';
import { cliConfig } from '../projectConfig';
import { planDocument } from '../../provision/render/json';
import { renderPlanMarkdown } from '../../provision/render/markdown';
import { resolveTargets, restrictPlan, TargetError } from '../../provision/target';
import { isScimError } from '../../scim';
import { isProfileId } from '../../schema/profiles';
import { WorkspaceIndex } from '../../workspace/index';
import { ENDPOINT_HELP, MANIFEST_COMMAND_OPTIONS, endpointOptions, rejectSecretFlags, type EndpointValues } from '../endpoint';
import { collectFiles, UsageError } from '../files';
import { readManifests } from '../manifests';
import { EXIT, type CliCommand, type CliIO } from '../io';

export const PLAN_HELP = `Usage: scim-agents plan [paths or globs...] --endpoint URL [options]

Shows what \`apply\` would change on the SCIM endpoint, per resource: + create, ~ update (with
the attribute changes), = unchanged, ! cannot apply (with the reason). Nothing is written.
Files with lint errors are never applied.

Options:
  --format text|json|markdown   output format (default: text); json is versioned
                            (schemas/plan.schema.json), markdown is for a pull-request comment
  --target KEY              plan only this resource and what it depends on (repeatable);
                            KEY is agent:NAME, application:NAME, or an externalId or name
  --detailed-exitcode       exit 2 when the plan has changes (terraform's convention)
  --fallback linked-user    where the server has no Agent resource type, provision agents
                            as Users (attributes that cannot travel are listed)
  --profile abbey-00|wzdk-00|auto   schema profile (default: auto, per file)
  -h, --help                show this help

${ENDPOINT_HELP}

Exit codes: 0 no changes (or changes, without --detailed-exitcode); 1 a resource cannot be
applied (lint errors, server limits) or the endpoint failed; 2 usage error, or with
--detailed-exitcode: the plan has changes.
`;

export const planCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...MANIFEST_COMMAND_OPTIONS,
      'detailed-exitcode': { type: 'boolean', default: false },
      fallback: { type: 'string' },
      target: { type: 'string', multiple: true, default: [] },
    },
  });
  if (values.help) {
    io.stdout(PLAN_HELP);
    return EXIT.ok;
  }
  const format = values.format === 'markdown' ? 'markdown' : checkFormat(values.format, 'markdown');
  const fallback = checkFallback(values.fallback);
  const workspace = await loadManifests(positionals, io, values.profile!);
  const targets = targetsOf(workspace, values.target ?? []);
  const conn = await connectOrReport(values, io, 'plan');
  if (!conn) return EXIT.findings;
  let plan;
  try {
    plan = targets(await buildPlan(workspace.index, { ...conn, lint: workspace.lint, ...(fallback ? { fallback } : {}) }));
  } catch (e) {
    return reportFailure(io, 'plan', e);
  }
  if (format === 'json') io.stdout(JSON.stringify(planDocument(plan, workspace.render), null, 2) + '\n');
  else if (format === 'markdown') io.stdout(renderPlanMarkdown(plan, workspace.render));
  else io.stdout(renderPlanText(plan, workspace.render));
  if (plan.counts.cannotApply > 0) return EXIT.findings;
  if (values['detailed-exitcode'] && planHasChanges(plan)) return 2;
  return EXIT.ok;
};

export function checkFormat(format: string | undefined, also?: string): 'text' | 'json' {
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown --format "${format}"; use text${also ? ', json or ' + also : ' or json'}.`);
  return format;
}

/** `--target` keys resolved against the manifests (a usage error when one names nothing), as a plan filter. */
export function targetsOf(workspace: LoadedManifests, keys: readonly string[]): (plan: Plan) => Plan {
  if (keys.length === 0) return (plan) => plan;
  try {
    const targets = resolveTargets(workspace.index, keys);
    return (plan) => restrictPlan(plan, targets);
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw e;
  }
}

export function checkFallback(fallback: string | undefined): 'linked-user' | undefined {
  if (fallback === undefined) return undefined;
  if (fallback !== 'linked-user') throw new UsageError(`Unknown --fallback "${fallback}"; the only fallback is linked-user.`);
  return fallback;
}

export interface LoadedManifests {
  index: WorkspaceIndex;
  render: RenderOptions;
  /** For the lint that gates provisioning: the policies of each file's .scim-agents.yaml, and its severities where every file shares them. */
  lint: NonNullable<PlanOptions['lint']>;
}

/** Reads the manifests the paths name into one workspace (cross-file references resolve). */
export async function loadManifests(positionals: string[], io: CliIO, profile: string): Promise<LoadedManifests> {
  if (profile !== 'auto' && !isProfileId(profile)) throw new UsageError(`Unknown --profile "${profile}"; use abbey-00, wzdk-00 or auto.`);
  const files = await collectFiles(positionals, io.cwd);
  if (files.length === 0) throw new UsageError('No manifest files found (looked for *.agent.{yaml,yml,json} and *.agents.{yaml,yml,json}).');
  const config = cliConfig(undefined, io.cwd, profile === 'auto' ? {} : { profile });
  const index = new WorkspaceIndex((uri) => config.forUri(uri).profile);
  const { names, unreadable } = await readManifests(files, io.cwd, index, config);
  if (unreadable[0]) throw new UsageError(`Cannot read ${unreadable[0].file}: ${unreadable[0].error}`);
  for (const p of config.problems(io.cwd)) io.stderr(`${p.severity}: ${p.file}:${p.line}:${p.column}: ${p.message} (${p.code})\n`);
  const rules = index.uris().map((u) => JSON.stringify(config.forUri(u).rules));
  return {
    index,
    lint: { policies: (uri) => config.forUri(uri).policies, ...(new Set(rules).size === 1 ? { rules: config.forUri(index.uris()[0]!).rules } : {}) },
    render: {
      fileName: (uri) => names.get(uri) ?? uri,
      lineOf: (uri, offset) => (index.get(uri)?.manifest.lines.positionAt(offset).line ?? 0) + 1,
    },
  };
}

/** Connects (discovery included); a failure is reported and yields undefined. UsageError propagates. */
export async function connectOrReport(values: EndpointValues, io: CliIO, command: string): Promise<Connection | undefined> {
  const options = endpointOptions(values, io);
  try {
    return await connect({ ...options, maxRetries: 3 });
  } catch (e) {
    reportFailure(io, command, e);
    return undefined;
  }
}

/** A failure talking to the endpoint: the client's messages are redacted (no token, no secret query values). */
export function reportFailure(io: CliIO, command: string, e: unknown): number {
  if (isScimError(e)) io.stderr(`scim-agents ${command}: ${e.message}\n`);
  else throw e;
  return EXIT.findings;
}

/** Asks on the terminal; the answer must be "yes". Tests supply `prompt` on the CliIO. */
export async function confirm(io: CliIO, question: string): Promise<boolean> {
  const custom = (io as CliIO & { prompt?: (q: string) => Promise<string> }).prompt;
  let answer: string;
  if (custom) answer = await custom(question);
  else {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      answer = await rl.question(question);
    } finally {
      rl.close();
    }
  }
  return answer.trim().toLowerCase() === 'yes';
}
