// The Node platform of the language server: files from disk, provisioning, the schema cache.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { ServerHost } from './host';
import { startServer, type LanguageServer, type LanguageServerOptions } from './server';
import { installProvisioning } from './provisioning';
import { includeGlobs, readText, scanFolder } from './scan';
import { uriToPath } from '../util/files';
import { registerImportCommand } from './importCommand';
import { installServerSchemas } from './serverSchemas';

export const nodeHost: ServerHost = {
  createConnection: () => createConnection(ProposedFeatures.all),
  files: {
    uriToPath,
    scanFolder: async (root, include, trusted, seen, log) => {
      const { matcher, rejected } = includeGlobs(include, trusted);
      for (const r of rejected) log(`SCIMAgents.files.include "${r.glob.slice(0, 80)}" is not used: ${r.reason}.`);
      return scanFolder(root, matcher, undefined, seen);
    },
    isManifest: (rel, include, trusted) => includeGlobs(include, trusted).matcher(rel),
    readText,
  },
  installProvisioning,
  installServerSchemas,
  registerCommands: registerImportCommand,
};

/** The Node language server (dist/server.js, `scim-agents lsp`), over the transport the process arguments name. */
export function startLanguageServer(options: LanguageServerOptions = {}): LanguageServer {
  return startServer(nodeHost, options);
}
