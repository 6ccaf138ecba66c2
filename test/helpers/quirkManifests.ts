/**
 * Manifests of the quirk scenarios: a small but complete workspace (an owner and a group, agents, an
 * application listing two agents created in the same run, so Bulk has `bulkId:` references to
 * substitute) for servers with Agent types, and one for Users-only servers (linked-user fallback).
 */

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';

export const OWNER = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
externalId: u-dana
userName: dana@example.com
displayName: Dana Reyes
active: true
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
externalId: g-support-owners
displayName: Support Owners
members:
  - value: user:dana@example.com
`;

const agent = (name: string, displayName: string) => `schemas: [${AGENT}]
externalId: ext-${name}
name: ${name}
displayName: ${displayName}
description: Works the support queue.
agentType: Assistant
active: true
owners:
  - value: user:dana@example.com
subject: ${name}
`;

export const APP = `schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
externalId: ext-support-suite
name: support-suite
displayName: Support Suite
active: true
agents:
  - value: agent:triage-bot
  - value: agent:reply-bot
`;

/** Owner, their group, three agents and an application: six resources (RESOURCES). `extra` agents go in their own file. */
export function agentWorkspace(options: { triageName?: string; extra?: string[] } = {}): Record<string, string> {
  const files: Record<string, string> = {
    'owners.agents.yaml': OWNER,
    'agents.agents.yaml': [agent('triage-bot', options.triageName ?? 'Triage Bot'), agent('reply-bot', 'Reply Bot'), agent('router-bot', 'Router Bot')].join(
      '---\n',
    ),
    'suite.agent.yaml': APP,
  };
  if (options.extra?.length) files['odd.agents.yaml'] = options.extra.map((n) => agent(n, n)).join('---\n');
  return files;
}

/** The edit of the cycle: one agent renamed. */
export function agentWorkspaceEdited(options: { extra?: string[] } = {}): Record<string, string> {
  return agentWorkspace({ ...options, triageName: 'Triage Bot v2' });
}

/** How many resources agentWorkspace() declares. */
export const RESOURCES = 6;

export const AGENT_EXTERNAL_IDS = ['ext-triage-bot', 'ext-reply-bot', 'ext-router-bot'];

/** A certificate the lint accepts (the example's), for the attribute a Users-only server may lack. */
const CERTIFICATE =
  'MIIB7jCCAZSgAwIBAgIUeEtSCUL/VLXSno4jRXTaWoeKGuIwCgYIKoZIzj0EAwIwMDEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMRcwFQYDVQQDDA5zdXBwb3J0LXRyaWFnZTAeFw0yNjExMjkxMTE3MjFaFw0zNjExMjYxMTE3MjFaMDAxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEXMBUGA1UEAwwOc3VwcG9ydC10cmlhZ2UwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARHfcsfab0AO2ZbDACPEW0siWaWXi4BaULCc/g0UJP2ZRHZpEk6O9vNiZGz58WVvlsFqwg7hAcMTM4KDw3IXwQNo4GLMIGIMB0GA1UdDgQWBBQFo0nmGJBqw445y6Z3dOY91eRgXzAfBgNVHSMEGDAWgBQFo0nmGJBqw445y6Z3dOY91eRgXzAPBgNVHRMBAf8EBTADAQH/MDUGA1UdEQQuMCyGKnNwaWZmZTovL2V4YW1wbGUuY29tL2FnZW50cy9zdXBwb3J0LXRyaWFnZTAKBggqhkjOPQQDAgNIADBFAiAeJjALRIp8nCW5v1ooKLdPe2HDV7IYdohpaSZa2I2O8gIhAP1QX6wCgpZaoF6mjkS9fecbcpkGD3yjMZSF+TMNr1Li';

const fallbackAgent = (name: string, displayName: string, certificate: boolean) => `schemas: [${AGENT}]
externalId: ext-${name}
name: ${name}@agents.example.com
displayName: ${displayName}
description: Answers helpdesk tickets.
agentType: Assistant
active: true
owners:
  - value: user:erin@example.com
subject: ${certificate ? 'spiffe://example.com/agents/support-triage' : name}
${certificate ? `x509Certificates:\n  - value: ${CERTIFICATE}\n` : ''}`;

/** For Users-only servers: an owner and two agents (one with a certificate), three Users in all. */
export function userWorkspace(options: { helpdeskName?: string; certificate?: boolean } = {}): Record<string, string> {
  return {
    'owners.agents.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
externalId: u-erin
userName: erin@example.com
displayName: Erin Park
active: true
`,
    'agents.agents.yaml': [
      fallbackAgent('helpdesk-bot', options.helpdeskName ?? 'Helpdesk Bot', options.certificate ?? true),
      fallbackAgent('intake-bot', 'Intake Bot', false),
    ].join('---\n'),
  };
}

export function userWorkspaceEdited(options: { certificate?: boolean } = {}): Record<string, string> {
  return userWorkspace({ ...options, helpdeskName: 'Helpdesk Bot v2' });
}

export const FALLBACK_USER_NAMES = ['erin@example.com', 'helpdesk-bot@agents.example.com', 'intake-bot@agents.example.com'];
