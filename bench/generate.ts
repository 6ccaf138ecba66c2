/**
 * Generated manifests for the benchmarks. Every resource is valid under abbey-00 and
 * realistic in shape (owners, subject, protocols, applications listing agents), so the
 * engine does the work it does on real files; the same text goes to every peer.
 */

export interface GeneratedFile {
  name: string;
  text: string;
}

/** Users the sandbox's default seed holds, so owners resolve when provisioning. */
const OWNERS = ['alice', 'bob', 'carol'];

function agent(i: number): string {
  return [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
    `externalId: bench-agent-${i}`,
    `name: bench-agent-${i}`,
    `displayName: Benchmark Agent ${i}`,
    `description: Generated agent number ${i} for the benchmarks.`,
    'agentType: Assistant',
    'active: true',
    'owners:',
    `  - value: user:${OWNERS[i % OWNERS.length]}`,
    `subject: spiffe://example.com/agents/bench-agent-${i}`,
    'protocols:',
    '  - type: A2A',
    `    specificationUrl: https://agents.example.com/bench-agent-${i}/.well-known/agent-card.json`,
  ].join('\n');
}

function application(i: number, agentCount: number, perApp: number): string {
  const lines = [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]',
    `externalId: bench-app-${i}`,
    `name: bench-app-${i}`,
    `displayName: Benchmark Application ${i}`,
    'active: true',
    'agents:',
  ];
  for (let k = 0; k < perApp; k++) lines.push(`  - value: agent:bench-agent-${(i * perApp + k) % agentCount}`, '    type: owned');
  return lines.join('\n');
}

/** One multi-document YAML file of `n` agents (about 13 lines each; 1,000 agents ≈ 13,000 lines). */
export function agentsFile(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(agent(i));
  return docs.join('\n---\n') + '\n';
}

/** `agents` agents and `apps` applications that each list `perApp` of them, in one file. */
export function provisioningFile(agents: number, apps: number, perApp = 10): string {
  const docs: string[] = [];
  for (let i = 0; i < agents; i++) docs.push(agent(i));
  for (let i = 0; i < apps; i++) docs.push(application(i, agents, perApp));
  return docs.join('\n---\n') + '\n';
}

/** `n` small single-agent files, spread over folders of 500. */
export function smallFiles(n: number): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (let i = 0; i < n; i++) out.push({ name: `d${Math.floor(i / 500)}/a${i}.agent.yaml`, text: agent(i) + '\n' });
  return out;
}

/** The line number (0-based) of agent `i`'s displayName in agentsFile: the line benchmarks edit. */
export function displayNameLine(i: number): number {
  return i * 14 + 3;
}
