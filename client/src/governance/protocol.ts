/** The governance requests as the client sees them: the server's own protocol module, re-exported. */
export * from '../../../server/src/lsp/governanceProtocol';
