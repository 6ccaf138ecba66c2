import { UsageError } from './files';
import { printable } from './format/escape';
import { EXIT, type CliCommand, type CliIO } from './io';
import { VERSION } from '../version';
import { lintCommand } from './commands/lint';
import { serveCommand } from './commands/serve';
import { planCommand } from './commands/plan';
import { applyCommand } from './commands/apply';
import { deprovisionCommand } from './commands/deprovision';
import { lspCommand } from './commands/lsp';
import { inventoryCommand } from './commands/inventory';
import { whoisTokenCommand } from './commands/whois-token';
import { fmtCommand } from './commands/fmt';
import { importCommand } from './commands/import';

const COMMANDS: Record<string, { run: CliCommand; summary: string }> = {
  lint: { run: lintCommand, summary: 'check manifests (text, JSON, SARIF, GitHub annotations)' },
  fmt: { run: fmtCommand, summary: 'format manifests (--check for CI), keeping comments and anchors' },
  serve: { run: serveCommand, summary: 'run the local SCIM sandbox server' },
  plan: { run: planCommand, summary: 'show what apply would change on a SCIM endpoint' },
  apply: { run: applyCommand, summary: 'create and update agents and applications on a SCIM endpoint' },
  import: { run: importCommand, summary: 'write manifests for the agents and applications a SCIM endpoint already has' },
  deprovision: { run: deprovisionCommand, summary: 'deactivate (or delete) them on a SCIM endpoint' },
  lsp: { run: lspCommand, summary: 'run the language server (--stdio) for any LSP editor' },
  inventory: { run: inventoryCommand, summary: 'list agents and applications: owners, credentials, provisioning state (text, JSON, CSV)' },
  'whois-token': { run: whoisTokenCommand, summary: 'which agent a JWT on standard input belongs to (decoded locally, never sent)' },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `scim-agents ${VERSION}: AI-agent identities as code (SCIM Agents and Agentic Applications).`,
    '',
    'Usage: scim-agents <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `scim-agents <command> --help` for a command's options.",
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${printable(name)}".\n\n${help()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`scim-agents ${name}: ${printable((e as Error).message)}\nRun \`scim-agents ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    io.stderr(`scim-agents ${name}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.usage;
  }
}
