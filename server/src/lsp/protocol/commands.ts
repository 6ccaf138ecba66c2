/**
 * Every command id of the extension, declared once. Two kinds that must never share an id (the
 * language client registers each server command as an editor command of the same name):
 * `SERVER_COMMANDS` run in the language server (workspace/executeCommand, any LSP editor);
 * `EDITOR_COMMANDS` are the VS Code commands the extension contributes (package.json
 * `contributes.commands`, checked by test/unit/protocol.test.ts) and, in `INTERNAL_EDITOR_COMMANDS`,
 * the ones it registers without contributing (the server is told their ids at initialize).
 */

/** workspace/executeCommand ids of the language server; their payloads are in ./provisioning and ./server. */
export const SERVER_COMMANDS = {
  plan: 'scimAgents.plan',
  apply: 'scimAgents.apply',
  deprovision: 'scimAgents.deprovision',
  verifyToken: 'scimAgents.verifyToken',
  refreshDirectory: 'scimAgents.refreshDirectory',
  refreshSchemas: 'scimAgents.refreshSchemas',
  import: 'scimAgents.import',
  serverInfo: 'scimAgents.serverInfo',
} as const;

export type ServerCommand = (typeof SERVER_COMMANDS)[keyof typeof SERVER_COMMANDS];

/** The commands the VS Code extension contributes (package.json `contributes.commands`). */
export const EDITOR_COMMANDS = {
  restartServer: 'scimAgents.restartServer',
  showOutput: 'scimAgents.showOutput',
  plan: 'scimAgents.provision.plan',
  apply: 'scimAgents.provision.apply',
  deprovision: 'scimAgents.provision.deprovision',
  setToken: 'scimAgents.provision.setToken',
  signOut: 'scimAgents.provision.signOut',
  refreshDirectory: 'scimAgents.provision.refreshDirectory',
  refreshSchemas: 'scimAgents.provision.refreshSchemas',
  startSandbox: 'scimAgents.sandbox.start',
  stopSandbox: 'scimAgents.sandbox.stop',
  endpointActions: 'scimAgents.endpoint.actions',
  refreshIdentities: 'scimAgents.identities.refresh',
  groupByOwner: 'scimAgents.identities.groupByOwner',
  groupByApplication: 'scimAgents.identities.groupByApplication',
  showProvisioningState: 'scimAgents.identities.showProvisioningState',
  importFromEndpoint: 'scimAgents.importFromEndpoint',
  identifyToken: 'scimAgents.identifyToken',
  newManifest: 'scimAgents.newAgentManifest',
} as const;

/** Editor commands registered but not contributed: run from the server's answers (code actions) and the tree's items. */
export const INTERNAL_EDITOR_COMMANDS = {
  /** Renders a rule's help page; the server offers it as a code action (InitializationOptions.ruleHelpCommand). */
  showRuleHelp: 'scimAgents.showRuleHelp',
  describeIdentity: 'scimAgents.identities.describe',
} as const;
