/**
 * `scim-agents serve`: runs the local SCIM sandbox until SIGINT/SIGTERM.
 * The token never comes from a flag (shell history, process lists): it is generated and kept
 * in the data directory, or read from an environment variable named by --token-env.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isProfileId } from '../../schema/profiles';
import { PROFILE_IDS } from '../../schema/types';
import { startSandbox, type Sandbox } from '../../sandbox';
import { isLoopbackHost } from '../../util/loopback';
import { EXIT, type CliIO } from '../io';
import { DEFAULT_SANDBOX_PORT } from '../../scim/endpointUrl';

export const SERVE_HELP = `Usage: scim-agents serve [options]

Runs a local SCIM 2.0 server with the agent extension (Users, Groups, Agents,
AgenticApplications), persisted in a data directory. Stop it with Ctrl-C.

Options:
  --data DIR         data directory (default: .scim-agents/sandbox under the current directory)
  --port N           port to listen on (default: ${DEFAULT_SANDBOX_PORT}; 0 picks a free port)
  --host H           address to bind (default: 127.0.0.1)
  --allow-remote     allow binding a non-loopback address (anyone who can reach it and
                     holds the token can change the data)
  --token-env NAME   take the bearer token from environment variable NAME instead of
                     the token generated and stored in the data directory
  --profile P        schema profile: ${PROFILE_IDS.join(' | ')} (default: abbey-00)
  --seed FILE        YAML or JSON seed used when the data directory is new
  --quiet            do not log requests
  -h, --help         show this help

The first start generates a token and stores it in <data>/token (mode 0600); it is
never printed (read it from that file, e.g. SCIM_AGENTS_TOKEN=$(cat <data>/token)).
Only one sandbox runs on a data directory at a time (<data>/lock).
`;

export interface ServeHooks {
  /** Resolves when the server should stop; defaults to SIGINT/SIGTERM. Tests pass their own. */
  waitForStop?: (sandbox: Sandbox) => Promise<void>;
}

export async function serveCommand(argv: string[], io: CliIO, hooks: ServeHooks = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'token-env': { type: 'string' },
        profile: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.stderr(`scim-agents serve: ${(e as Error).message}\n\n${SERVE_HELP}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(SERVE_HELP);
    return EXIT.ok;
  }
  const usage = (message: string) => {
    io.stderr(`scim-agents serve: ${message}\n`);
    return EXIT.usage;
  };

  const port = values.port === undefined ? DEFAULT_SANDBOX_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be a number from 0 to 65535, not '${values.port}'`);
  const profile = values.profile ?? 'abbey-00';
  if (!isProfileId(profile)) return usage(`--profile must be one of ${PROFILE_IDS.join(', ')}`);
  const host = values.host ?? '127.0.0.1';
  const allowRemote = values['allow-remote'] === true;
  if (!isLoopbackHost(host) && !allowRemote) {
    return usage(`${host} is not a loopback address; add --allow-remote to expose the sandbox beyond this machine`);
  }
  let token: string | undefined;
  if (values['token-env'] !== undefined) {
    token = io.env[values['token-env']];
    if (!token) return usage(`the environment variable ${values['token-env']} is empty or not set`);
  }
  const dataDir = path.resolve(io.cwd, values.data ?? path.join('.scim-agents', 'sandbox'));
  const seedFile = values.seed === undefined ? undefined : path.resolve(io.cwd, values.seed);

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      dataDir,
      host,
      port,
      token,
      profile,
      seedFile,
      allowNonLoopback: allowRemote,
      logger: values.quiet ? undefined : (line) => io.stdout(line + '\n'),
    });
  } catch (e) {
    io.stderr(`scim-agents serve: ${(e as Error).message}\n`);
    return EXIT.findings;
  }

  if (allowRemote && !isLoopbackHost(host)) {
    io.stderr(`warning: the sandbox is reachable from other machines on ${host}, over plain HTTP.\n`);
  }
  io.stdout(`SCIM sandbox (${profile}) listening on ${sandbox.baseUrl}\n`);
  io.stdout(`data: ${dataDir}${sandbox.seeded ? ` (new; seeded with ${sandbox.seeded} resources)` : ''}\n`);
  for (const note of sandbox.notes) io.stderr(`note: ${note}\n`);
  // Where the token is, never the token: output ends up in terminals' scrollback and CI logs.
  if (sandbox.tokenFile === undefined) io.stdout(`token: from $${values['token-env']}\n`);
  else io.stdout(`token: ${sandbox.tokenCreated ? 'generated and ' : ''}stored in ${sandbox.tokenFile} (mode 0600)\n`);

  await (hooks.waitForStop ?? waitForSignal)(sandbox);
  await sandbox.close();
  io.stdout('SCIM sandbox stopped.\n');
  return EXIT.ok;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
