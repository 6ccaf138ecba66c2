/** `scim-agents apply`: plans, shows the plan, asks, then applies it. */
import { parseArgs } from 'node:util';
import { applyPlan, buildPlan, planHasChanges, planToJson, renderApplyText, renderPlanText } from '../../provision';
import { ENDPOINT_HELP, MANIFEST_COMMAND_OPTIONS, rejectSecretFlags } from '../endpoint';
import { UsageError } from '../files';
import { EXIT, type CliCommand } from '../io';
import { checkFallback, checkFormat, confirm, connectOrReport, loadManifests, reportFailure, scrubbedStdout, targetsOf } from './plan';

export const APPLY_HELP = `Usage: scim-agents apply [paths or globs...] --endpoint URL [options]

Plans (see \`scim-agents plan\`), shows the plan, and after confirmation creates and updates
the resources on the endpoint in dependency order. Never creates duplicates; re-applying an
applied manifest sends no writes (where a server refuses or rewrites an attribute, the
failure says so). After every write, what the server holds is compared with what was meant:
a difference is repaired with a PATCH or reported as a failure.

Options:
  --yes                     apply without asking (required when not on a terminal)
  --format text|json        output format (default: text)
  --fallback linked-user    provision agents as Users where the server has no Agent type
  --target KEY              apply only this resource and what it depends on (repeatable)
  --concurrency N           parallel requests (default: 4)
  --profile abbey-00|wzdk-00|auto   schema profile (default: auto, per file)
  -h, --help                show this help

${ENDPOINT_HELP}

Exit codes: 0 everything applied (or nothing to do); 1 a resource failed or cannot be
applied; 2 usage error, or not confirmed.
`;

export const applyCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...MANIFEST_COMMAND_OPTIONS,
      yes: { type: 'boolean', short: 'y', default: false },
      fallback: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      target: { type: 'string', multiple: true, default: [] },
    },
  });
  if (values.help) {
    io.stdout(APPLY_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format);
  const fallback = checkFallback(values.fallback);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError('--concurrency takes a whole number from 1 to 32.');
  if (!values.yes && !io.isTTY) {
    io.stderr('scim-agents apply: refusing to apply without --yes when not on a terminal (run `scim-agents plan` to review first).\n');
    return EXIT.usage;
  }
  const workspace = await loadManifests(positionals, io, values.profile!);
  const targets = targetsOf(workspace, values.target ?? []);
  const conn = await connectOrReport(values, io, 'apply');
  if (!conn) return EXIT.findings;
  const out = scrubbedStdout(io, conn);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const plan = targets(await buildPlan(workspace.index, { ...conn, lint: workspace.lint, ...(fallback ? { fallback } : {}) }));
    if (format === 'text') out(renderPlanText(plan, workspace.render));
    if (!planHasChanges(plan)) {
      if (format === 'json') out(JSON.stringify({ plan: planToJson(plan), result: null }, null, 2) + '\n');
      else io.stdout('No changes to apply.\n');
      return plan.counts.cannotApply > 0 ? EXIT.findings : EXIT.ok;
    }
    if (!values.yes) {
      const n = plan.counts.create + plan.counts.update;
      const ok = await confirm(
        io,
        `Apply ${plan.counts.create} create(s) and ${plan.counts.update} update(s) (${n} change${n === 1 ? '' : 's'}) to ${plan.endpointHost}? Type "yes" to continue: `,
      );
      if (!ok) {
        io.stderr('Not applied.\n');
        return EXIT.usage;
      }
    }
    const result = await applyPlan(plan, {
      client: conn.client,
      concurrency,
      signal: controller.signal,
      ...(format === 'text' && io.isTTY ? { onProgress: (p) => io.stderr(`\r${p.done}/${p.total}`) } : {}),
    });
    if (format === 'text' && io.isTTY) io.stderr('\n');
    if (format === 'json') out(JSON.stringify({ plan: planToJson(plan), result }, null, 2) + '\n');
    else out(renderApplyText(result, workspace.render));
    return result.counts.failed + result.counts.skipped > 0 || result.cancelled ? EXIT.findings : EXIT.ok;
  } catch (e) {
    return reportFailure(io, 'apply', e);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
};
