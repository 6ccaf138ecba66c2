import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { formatManifest } from '../../format/format';
import { collectFiles, relativeTo, UsageError } from '../files';
import { EXIT, type CliCommand } from '../io';
import { printable } from '../format/escape';
import { readTextFile, replaceFileSync } from '../../util/files';

export const FMT_HELP = `Usage: scim-agents fmt [paths or globs...] [options]

Formats manifests: regular indentation (2 spaces) and spacing; comments, anchors, block
scalars, flow collections, documents and line endings are kept. Files are rewritten in place
unless --check is given. Files that do not parse are reported and left alone.

Options:
  --check        write nothing; list the files that are not formatted
  --order-keys   also put each resource's attributes in the canonical order
                 (schemas, externalId, name, displayName, description, ..., then the rest)
  -h, --help     show this help

Exit codes: 0 every file is (now) formatted, 1 --check found unformatted files or a file could
not be formatted, 2 usage error.
`;

export const fmtCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      'order-keys': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(FMT_HELP);
    return EXIT.ok;
  }
  const files = await collectFiles(positionals, io.cwd);
  if (files.length === 0) throw new UsageError('No manifest files found (looked for *.agent.{yaml,yml,json} and *.agents.{yaml,yml,json}).');
  let failed = 0;
  let unformatted = 0;
  let rewritten = 0;
  for (const file of files) {
    // A file name can hold any byte but `/` and NUL: escaped, it cannot start a line of its own.
    const rel = printable(relativeTo(io.cwd, file));
    const read = await readTextFile(file);
    if ('error' in read) {
      io.stderr(`${rel}: ${printable(read.error)}\n`);
      failed++;
      continue;
    }
    // The formatter keeps a BOM it is given (README: BOM and CRLF are kept), so it gets the file as it is.
    const text = read.bom ? `\uFEFF${read.text}` : read.text;
    const result = await formatManifest(text, file.endsWith('.json') ? 'json' : 'yaml', { orderKeys: values['order-keys'] });
    if ('error' in result) {
      io.stderr(`${rel}: ${printable(result.error)}\n`);
      failed++;
      continue;
    }
    if (result.text === text) continue;
    if (values.check) {
      io.stdout(`${rel}\n`);
      unformatted++;
      continue;
    }
    // Keeps the file's mode; a crash mid-write never leaves half a manifest.
    replaceFileSync(file, result.text, fs.statSync(file).mode & 0o7777);
    io.stdout(`formatted ${rel}\n`);
    rewritten++;
  }
  const summary: string[] = [];
  if (unformatted > 0) summary.push(`${unformatted} of ${files.length} files are not formatted; run scim-agents fmt.`);
  if (failed > 0) summary.push(`${failed} of ${files.length} files could not be formatted (see above).`);
  if (summary.length === 0 && (values.check || rewritten === 0)) summary.push(`${files.length} files ${values.check ? 'formatted' : 'already formatted'}.`);
  for (const line of summary) io.stderr(`${line}\n`);
  return failed > 0 || unformatted > 0 ? EXIT.findings : EXIT.ok;
};
