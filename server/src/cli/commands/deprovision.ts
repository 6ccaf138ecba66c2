/** `scim-agents deprovision`: deactivates (or, when asked, deletes) what the manifests describe. */
import { parseArgs } from 'node:util';
import { deprovision, renderApplyText } from '../../provision';
import { labelOf } from '../../workspace/index';
import { ENDPOINT_HELP, MANIFEST_COMMAND_OPTIONS, rejectSecretFlags } from '../endpoint';
import { EXIT, type CliCommand } from '../io';
import { printable } from '../format/escape';
import { checkFallback, checkFormat, confirm, connectOrReport, loadManifests, reportFailure, scrubbedStdout } from './plan';

export const DEPROVISION_HELP = `Usage: scim-agents deprovision [paths or globs...] --endpoint URL [options]

Revokes the identities the manifests describe: sets active=false and reads it back to
confirm. DELETE only with --delete. Applications go first, then agents (children before
parents), then groups and users.

Options:
  --delete                  delete instead of deactivating
  --yes                     do not ask (required when not on a terminal)
  --format text|json        output format (default: text)
  --fallback linked-user    the agents were provisioned as Users (server without Agent type)
  --profile abbey-00|wzdk-00|auto   schema profile (default: auto, per file)
  -h, --help                show this help

${ENDPOINT_HELP}

Groups have no active flag: without --delete they are kept (and say so), which is not a failure.

Exit codes: 0 done (or nothing to do); 1 a resource failed, could not be found reliably, or
could not be handled (e.g. no such resource type on the server); 2 usage error, or not confirmed.
`;

export const deprovisionCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...MANIFEST_COMMAND_OPTIONS,
      delete: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      fallback: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(DEPROVISION_HELP);
    return EXIT.ok;
  }
  const format = checkFormat(values.format);
  const fallback = checkFallback(values.fallback);
  const mode = values.delete ? 'delete' : 'deactivate';
  if (!values.yes && !io.isTTY) {
    io.stderr(`scim-agents deprovision: refusing to ${mode} without --yes when not on a terminal.\n`);
    return EXIT.usage;
  }
  const workspace = await loadManifests(positionals, io, values.profile!);
  const conn = await connectOrReport(values, io, 'deprovision');
  if (!conn) return EXIT.findings;
  const resources = workspace.index.resources();
  if (!values.yes) {
    io.stdout(resources.map((r) => `  ${mode === 'delete' ? '-' : '~'} ${mode} ${printable(labelOf(r))}\n`).join(''));
    const ok = await confirm(
      io,
      `${mode === 'delete' ? 'DELETE' : 'Deactivate'} ${resources.length} resource(s) on ${new URL(conn.client.baseUrl).host}? Type "yes" to continue: `,
    );
    if (!ok) {
      io.stderr('Nothing changed.\n');
      return EXIT.usage;
    }
  }
  try {
    const result = await deprovision(workspace.index, { client: conn.client, capabilities: conn.capabilities, mode, ...(fallback ? { fallback } : {}) });
    const out = scrubbedStdout(io, conn);
    if (format === 'json') out(JSON.stringify(result, null, 2) + '\n');
    else out(renderApplyText(result, workspace.render));
    return result.counts.failed > 0 || result.counts.skipped > 0 ? EXIT.findings : EXIT.ok;
  } catch (e) {
    return reportFailure(io, 'deprovision', e);
  }
};
