// The Node platform of the language server: files from disk, provisioning, the schema cache.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { ServerHost } from './host';
import { startServer, type LanguageServer, type LanguageServerOptions } from './server';
import { installProvisioning } from './provisioning';
import { manifestMatcher, readText, scanFolder, uriToPath } from './scan';
import { installServerSchemas } from './serverSchemas';

export const nodeHost: ServerHost = {
  createConnection: () => createConnection(ProposedFeatures.all),
  files: {
    uriToPath,
    scanFolder: (root, include) => scanFolder(root, manifestMatcher(include)),
    isManifest: (rel, include) => manifestMatcher(include)(rel),
    readText,
  },
  installProvisioning,
  installServerSchemas,
};

/** The Node language server (dist/server.js, `scim-agents lsp`), over the transport the process arguments name. */
export function startLanguageServer(options: LanguageServerOptions = {}): LanguageServer {
  return startServer(nodeHost, options);
}
