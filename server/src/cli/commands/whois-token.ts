/**
 * `scim-agents whois-token`: which governed identity a JWT belongs to. The token is read from
 * standard input only (arguments land in shell history and process lists), decoded locally,
 * and never printed, sent or stored: only its `sub` goes to the endpoint, in a filter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildInventory,
  correlateToken,
  decodeJwt,
  lookupSubjectOnServer,
  renderCorrelationText,
  TokenError,
  type DecodedToken,
  type ServerSubjectResult,
} from '../../governance';
import { ENDPOINT_HELP, MANIFEST_COMMAND_OPTIONS, rejectSecretFlags } from '../endpoint';
import { UsageError } from '../files';
import { EXIT, StdinTooLarge, type CliCommand } from '../io';
import { connectOrReport, loadManifests } from './plan';

export const WHOIS_TOKEN_HELP = `Usage: scim-agents whois-token [paths or globs...] [options] < token

Reads a JWT from standard input, decodes it locally (the signature is not verified; the token
is never sent anywhere, printed or stored) and matches its "sub", with its "iss" where the
manifests know the issuer (an application's oAuthConfiguration issuerUri), against the agents'
"subject". With --endpoint, also asks the server for agents with that subject (only the
subject is sent). A "Bearer " prefix on the input is ignored.

  pbpaste | scim-agents whois-token
  scim-agents whois-token manifests/ --endpoint https://scim.example.com/scim/v2 < token.txt

Options:
  --format text|json        output format (default: text)
  --profile abbey-00|wzdk-00|auto   schema profile (default: auto, per file)
  -h, --help                show this help

${ENDPOINT_HELP.replace('(required)', '(optional)')}

Exit codes: 0 the token belongs to a governed identity; 1 it belongs to none (or the endpoint
failed); 2 usage error or a malformed token.
`;

/** Three base64url runs joined by dots: what a token passed by mistake as an argument looks like. */
const LOOKS_LIKE_JWT = /^(Bearer\s+)?[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/;

/** A JWT is a few kilobytes; whatever holds more is not one, and is not read to the end. */
const MAX_TOKEN_INPUT_BYTES = 64 * 1024;

export const whoisTokenCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  for (const arg of argv) {
    if (LOOKS_LIKE_JWT.test(arg) && !fs.existsSync(path.resolve(io.cwd, arg))) {
      throw new UsageError('A token is never taken as an argument (it would stay in shell history and process lists); pipe it on standard input.');
    }
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...MANIFEST_COMMAND_OPTIONS,
    },
  });
  if (values.help) {
    io.stdout(WHOIS_TOKEN_HELP);
    return EXIT.ok;
  }
  const format = values.format!;
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown --format "${format}"; use text or json.`);

  let token: DecodedToken;
  try {
    token = decodeJwt(await io.readStdin(MAX_TOKEN_INPUT_BYTES));
  } catch (e) {
    if (e instanceof StdinTooLarge) {
      io.stderr(`scim-agents whois-token: malformed: standard input holds more than ${MAX_TOKEN_INPUT_BYTES / 1024} KiB, and a token is a few kilobytes.\n`);
      return EXIT.usage;
    }
    if (!(e instanceof TokenError)) throw e;
    io.stderr(`scim-agents whois-token: ${e.message}\n`);
    return EXIT.usage;
  }
  const workspace = await loadManifests(positionals, io, values.profile!);
  const fileName = workspace.render.fileName!;
  const inventory = buildInventory(workspace.index, { fileName });
  let server: ServerSubjectResult | undefined;
  if (values.endpoint) {
    const conn = await connectOrReport(values, io, 'whois-token');
    if (!conn) return EXIT.findings;
    server = await lookupSubjectOnServer(conn, token.sub, inventory);
  }
  const correlation = correlateToken(inventory, token, server);
  if (format === 'json')
    io.stdout(JSON.stringify({ ...correlation, matches: correlation.matches.map((m) => ({ ...m, file: fileName(m.uri) })) }, null, 2) + '\n');
  else io.stdout(renderCorrelationText(correlation, fileName));
  return correlation.verdict === 'matched' || correlation.verdict === 'server-only' ? EXIT.ok : EXIT.findings;
};
