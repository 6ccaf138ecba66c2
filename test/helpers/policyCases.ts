// Bad and good fixtures of every policy-* rule, run by rules.test.ts with the other rule cases.
import { makeCertificate } from './certs';
import type { Policies } from '../../server/src/config/types';
import type { LintOptions } from '../../server/src/lint/linter';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';
const agent = (body: string, name = 'bot') => `schemas: [${AGENT}]\nname: ${name}\nowners:\n  - value: user:alice\n${body}`;
const withPolicies = (policies: Policies): LintOptions => ({ policies: () => policies });

const CERT_LONG = makeCertificate({ cn: 'bot', days: 800 });
const CERT_SHORT = makeCertificate({ cn: 'bot', days: 90 });

export interface PolicyCase {
  code: string;
  bad: Record<string, string>;
  at: { file: string; snippet: string; occurrence?: number };
  good: Record<string, string>;
  options: LintOptions;
}

export const POLICY_CASES: PolicyCase[] = [
  {
    code: 'policy-min-owners',
    bad: { 'a.agent.yaml': agent('') },
    at: { file: 'a.agent.yaml', snippet: 'owners' },
    good: { 'a.agent.yaml': agent('  - value: group:Platform\n') },
    options: withPolicies({ minOwners: 2 }),
  },
  {
    code: 'policy-subject-pattern',
    bad: { 'a.agent.yaml': agent('subject: spiffe://other.org/agents/bot\n') },
    at: { file: 'a.agent.yaml', snippet: 'spiffe://other.org' },
    good: { 'a.agent.yaml': agent('subject: spiffe://example.com/agents/bot\n') },
    options: withPolicies({ subjectPattern: 'spiffe://example.com/agents/*' }),
  },
  {
    code: 'policy-certificate-validity',
    bad: { 'a.agent.yaml': agent(`x509Certificates:\n  - value: ${CERT_LONG}\n`) },
    at: { file: 'a.agent.yaml', snippet: CERT_LONG.slice(0, 20) },
    good: { 'a.agent.yaml': agent(`x509Certificates:\n  - value: ${CERT_SHORT}\n`) },
    options: withPolicies({ maxCertificateValidityDays: 397 }),
  },
  {
    code: 'policy-https-urls',
    bad: { 'a.agent.yaml': agent('protocols:\n  - type: A2A\n    specificationUrl: http://agents.example.com/card.json\n') },
    at: { file: 'a.agent.yaml', snippet: 'http://agents' },
    good: { 'a.agent.yaml': agent('protocols:\n  - type: A2A\n    specificationUrl: https://agents.example.com/card.json\n') },
    options: withPolicies({ requireHttps: true }),
  },
  {
    code: 'policy-protocol-types',
    bad: { 'a.agent.yaml': agent('protocols:\n  - type: MCP-Server\n  - type: Telnet\n') },
    at: { file: 'a.agent.yaml', snippet: 'Telnet' },
    good: { 'a.agent.yaml': agent('protocols:\n  - type: mcp-server\n  - type: A2A\n') },
    options: withPolicies({ allowedProtocolTypes: ['A2A', 'MCP-Server'] }),
  },
  {
    code: 'policy-required-attributes',
    bad: { 'a.agents.yaml': `schemas: [${APP}]\nname: platform\n---\n${agent('description: Triage\nprotocols:\n  - type: A2A\n')}` },
    at: { file: 'a.agents.yaml', snippet: 'name' },
    good: {
      'a.agents.yaml': `schemas: [${APP}]\nname: platform\ndescription: Hosts agents\n---\n${agent('description: Triage\nprotocols:\n  - type: A2A\n    specificationUrl: https://x.example/card\n')}`,
    },
    options: withPolicies({ requiredAttributes: { AgenticApplication: ['description'], Agent: ['description', 'protocols.specificationUrl'] } }),
  },
];
