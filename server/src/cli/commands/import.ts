/**
 * `scim-agents import`: writes manifests from a server's Agents and AgenticApplications into a
 * folder (see provision/import.ts). Same endpoint, credentials and safety rules as plan.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { absentFromServer, IMPORT_TYPES, ImportError, planImportWrites, readServerForImport, type ImportType } from '../../provision/import';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, rejectSecretFlags } from '../endpoint';
import { collectFiles, relativeTo, UsageError } from '../files';
import { EXIT, type CliCommand } from '../io';
import { printable } from '../format/escape';
import { connectOrReport, reportFailure } from './plan';

export const IMPORT_HELP = `Usage: scim-agents import --endpoint URL [options]

Writes manifests for the Agents and AgenticApplications the SCIM endpoint holds: one file per
application with its agents, one per agent in no application. Read-only attributes and secrets
are left out; owners, parents and members become user:/group:/agent: references. Resources
already in a manifest of the folder are updated there, in place (comments are kept); files whose
resources did not change are not touched. Right after an import, \`plan\` reports no changes.

Options:
  --out DIR                 folder to write to (default: the current one)
  --filter FILTER           SCIM filter for the listings, e.g. 'name sw "support"'
  --type Agent|AgenticApplication   import only this type (repeatable; default both)
  -h, --help                show this help

${ENDPOINT_HELP}

Exit codes: 0 imported; 1 the endpoint failed or a listing was incomplete (nothing written); 2 usage.
`;

export const importCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      ...ENDPOINT_OPTIONS,
      out: { type: 'string', default: '.' },
      filter: { type: 'string' },
      type: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(IMPORT_HELP);
    return EXIT.ok;
  }
  const types = (values.type ?? []).map((t) => {
    const known = IMPORT_TYPES.find((k) => k.toLowerCase() === t.toLowerCase());
    if (!known) throw new UsageError(`Unknown --type "${t}"; use ${IMPORT_TYPES.join(' or ')}.`);
    return known;
  }) as ImportType[];
  if (values.filter !== undefined && (values.filter.trim() === '' || values.filter.length > 2000))
    throw new UsageError('--filter takes a SCIM filter of at most 2000 characters.');
  const out = path.resolve(io.cwd, values.out!);
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new UsageError(`--out ${values.out} is not a folder.`);
  const conn = await connectOrReport(values, io, 'import');
  if (!conn) return EXIT.findings;
  let imported;
  try {
    imported = await readServerForImport({ ...conn, ...(values.filter ? { filter: values.filter } : {}), types });
  } catch (e) {
    if (e instanceof ImportError) {
      io.stderr(`scim-agents import: ${printable(e.message)}\n`);
      return EXIT.findings;
    }
    return reportFailure(io, 'import', e);
  }
  const existing = fs.existsSync(out)
    ? (await collectFiles([out], io.cwd)).map((file) => ({ file: path.relative(out, file).split(path.sep).join('/'), text: fs.readFileSync(file, 'utf8') }))
    : [];
  const writes = planImportWrites(imported, existing);
  fs.mkdirSync(out, { recursive: true });
  for (const w of writes) {
    const target = path.resolve(out, w.file);
    if (path.relative(out, target).startsWith('..')) throw new Error(`refusing to write outside ${out}: ${w.file}`);
    if (w.changed) fs.writeFileSync(target, w.text);
    io.stdout(`  ${w.created ? '+ created' : w.changed ? '~ updated' : '= unchanged'} ${printable(relativeTo(io.cwd, target))}\n`);
  }
  const absent = values.filter ? [] : absentFromServer(imported, existing, types.length ? types : IMPORT_TYPES);
  for (const note of [...imported.notes, ...absent]) io.stdout(`note: ${printable(note)}\n`);
  const c = imported.counts;
  io.stdout(
    `Imported ${c.Agent} agent(s) and ${c.AgenticApplication} application(s) from ${printable(imported.endpointHost)}: ${writes.filter((w) => w.created).length} file(s) created, ${writes.filter((w) => w.changed && !w.created).length} updated, ${writes.filter((w) => !w.changed).length} unchanged.\n`,
  );
  return EXIT.ok;
};
