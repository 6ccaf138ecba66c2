import { EXIT, type CliCommand } from '../io';

export const LSP_HELP = `Usage: scim-agents lsp --stdio | --node-ipc | --socket=PORT

Runs the language server the VS Code extension uses, for any LSP editor (Neovim, Helix, Emacs).
`;

/** The transport flags are read from process.argv by vscode-languageserver itself. */
export const lspCommand: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(LSP_HELP);
    return EXIT.ok;
  }
  if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    io.stderr(LSP_HELP);
    return EXIT.usage;
  }
  // Loaded here, not at the top: the language server's libraries would cost every other command's
  // start-up. The server's entry starts it; the CLI's bundle takes it from dist/server.js (esbuild.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: loaded only when this command runs
  require('../../lsp/main');
  // The connection keeps the process alive and exits it when the client sends `exit`.
  return new Promise<number>(() => undefined);
};
