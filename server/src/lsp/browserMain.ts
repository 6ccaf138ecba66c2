/**
 * dist/web/server.js: the language server in a Web Worker (VS Code for the Web). The same server
 * as dist/server.js (server.ts) on a host without a file system: the manifests come from the
 * client (protocol/workspaceFiles.ts), and provisioning and the endpoint's schemas, which need the
 * network, a token and the local sandbox, stay in the desktop extension.
 */
import './browserGlobals';
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { Connection } from 'vscode-languageserver';
import type { ServerHost } from './host';
import { startServer } from './server';

declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

export const DESKTOP_ONLY = 'Provisioning needs the desktop extension: VS Code for the Web validates manifests only.';

/** The client's copies of the workspace manifests, read back when an editor closes one. */
const texts = new Map<string, string>();

const browserHost: ServerHost = {
  createConnection: () => createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self)),
  files: {
    // No paths here: URIs stand for themselves (folder membership is a prefix test on either).
    uriToPath: (uri) => uri || undefined,
    scanFolder: async () => [], // the client sends the files instead
    isManifest: () => true, // the client sent only manifests; others read back as undefined
    readText: async (uri) => texts.get(uri),
    received(params) {
      for (const uri of params.deleted) texts.delete(uri);
      for (const file of params.changed) texts.set(file.uri, file.text);
    },
  },
  installProvisioning: (connection: Connection) => {
    connection.onCodeLens(() => []);
    return { configure: () => undefined, endpointSettings: async () => ({}) };
  },
  installServerSchemas: () => ({ useCached: async () => undefined }),
};

startServer(browserHost);
