// dist/server.js: the SCIM Agents language server (node dist/server.js --stdio | --node-ipc | --socket=PORT).
import { startLanguageServer } from './nodeHost';

startLanguageServer();
