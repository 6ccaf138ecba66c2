/**
 * The protocol between the VS Code client and the language server beyond LSP itself: command
 * ids, custom messages and their payloads, declared once and imported by the client
 * (client/src, for Node and the browser), the server (lsp/) and the tests. Constants and types
 * only, importing nothing but engine types: ESLint keeps vscode and the LSP libraries out
 * (eslint.config.mjs), so either side bundles it without the other's.
 */
export * from './commands';
export * from './governance';
export * from './initialize';
export * from './provisioning';
export * from './status';
export * from './workspaceFiles';
