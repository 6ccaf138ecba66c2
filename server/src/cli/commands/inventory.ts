/**
 * `scim-agents inventory`: every agent and application of the manifests with owners, credential
 * state, applications and, with --endpoint, provisioning state (from a plan: nothing is written).
 */
import { parseArgs } from 'node:util';
import { buildInventory, inventoryToCsv, renderInventoryText, type GroupBy, type Inventory } from '../../governance';
import { buildPlan } from '../../provision';
import { ENDPOINT_HELP, MANIFEST_COMMAND_OPTIONS, rejectSecretFlags } from '../endpoint';
import { UsageError } from '../files';
import { EXIT, type CliCommand } from '../io';
import { checkFallback, connectOrReport, loadManifests, reportFailure, scrubbedStdout } from './plan';

export const INVENTORY_HELP = `Usage: scim-agents inventory [paths or globs...] [options]

Lists every Agent and AgenticApplication of the manifests: owners (and what they resolve to),
applications, subject, credential state (bound, unbound, expiring within 30 days, expired,
not-yet-valid, invalid, none), certificate expiry, profile and file:line. With --endpoint, also
the provisioning state (in-sync, drifted, not-provisioned, orphaned, blocked), read from a plan:
nothing is written. Agents whose owners are inactive, deleted or empty groups are orphaned.

Options:
  --format text|json|csv    output format (default: text); csv is RFC 4180, one row per identity
  --group-by application|owner   grouping of the text output (default: application)
  --fallback linked-user    the agents were provisioned as Users (server without Agent type)
  --profile abbey-00|wzdk-00|auto   schema profile (default: auto, per file)
  -h, --help                show this help

${ENDPOINT_HELP.replace('(required)', '(optional: adds provisioning state and server owners)')}

Exit codes: 0 the inventory was written; 1 the endpoint failed; 2 usage error.
`;

const FORMATS = new Set(['text', 'json', 'csv']);

export const inventoryCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...MANIFEST_COMMAND_OPTIONS,
      'group-by': { type: 'string', default: 'application' },
      fallback: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(INVENTORY_HELP);
    return EXIT.ok;
  }
  const format = values.format!;
  if (!FORMATS.has(format)) throw new UsageError(`Unknown --format "${format}"; use text, json or csv.`);
  const groupBy = values['group-by'];
  if (groupBy !== 'application' && groupBy !== 'owner') throw new UsageError(`Unknown --group-by "${groupBy}"; use application or owner.`);
  const fallback = checkFallback(values.fallback);
  const workspace = await loadManifests(positionals, io, values.profile!);
  const fileName = workspace.render.fileName!;
  let inventory: Inventory;
  let out = (text: string) => io.stdout(text);
  if (values.endpoint) {
    const conn = await connectOrReport(values, io, 'inventory');
    if (!conn) return EXIT.findings;
    out = scrubbedStdout(io, conn);
    try {
      inventory = buildInventory(workspace.index, { plan: await buildPlan(workspace.index, { ...conn, ...(fallback ? { fallback } : {}) }), fileName });
    } catch (e) {
      return reportFailure(io, 'inventory', e);
    }
  } else {
    inventory = buildInventory(workspace.index, { fileName });
  }
  if (format === 'csv') out(inventoryToCsv(inventory, fileName));
  else if (format === 'json') out(JSON.stringify(inventoryJson(inventory, fileName), null, 2) + '\n');
  else out(renderInventoryText(inventory, groupBy as GroupBy, fileName));
  return EXIT.ok;
};

/** The inventory with each item's file named as on the command line. */
function inventoryJson(inventory: Inventory, fileName: (uri: string) => string): unknown {
  return { ...inventory, items: inventory.items.map((i) => ({ ...i, file: fileName(i.uri) })) };
}
