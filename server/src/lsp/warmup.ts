/**
 * Warms the engine while the server is idle after start-up: the first lint of a resource type
 * compiles its JSON Schema validator and runs cold code, a few hundred milliseconds that would
 * otherwise fall on the first manifest the user opens; and the first edit of a file runs code
 * the opening did not (a parse that reuses the previous one, an index that swaps a binding,
 * lints that reuse what they found), which would otherwise fall on the first keystroke. One step
 * per turn of the event loop, so a file opened meanwhile waits for one step at most.
 */
import type { ProfileSetting } from '../model/bind';
import { lintCrossFile, lintFile, lintFiles } from '../lint/linter';
import { WorkspaceIndex } from '../workspace/index';
import { yieldToEventLoop } from './diagnostics/queue';

const SAMPLES = ['Agent', 'AgenticApplication', 'User', 'Group'].map((type) => `schemas: [urn:ietf:params:scim:schemas:core:2.0:${type}]\nname: warm-up\n`);

/** A file of a few agents, each document as people write them; the rehearsal edits the middle one. */
const agent = (i: number, displayName: string) =>
  [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
    `externalId: warm-up-${i}`,
    `name: warm-up-${i}`,
    `displayName: ${displayName}`,
    'agentType: Assistant',
    'owners:',
    '  - value: user:warm-up',
    `subject: spiffe://warm-up.invalid/agents/${i}`,
    'protocols:',
    '  - type: A2A',
    `    specificationUrl: https://warm-up.invalid/${i}/.well-known/agent-card.json`,
  ].join('\n');
const agentsFile = (middle: string) => [agent(0, 'Warm-up 0'), agent(1, middle), agent(2, 'Warm-up 2')].join('\n---\n') + '\n';
/** Edits as a keystroke makes them: one that keeps the length, then ones that do not. */
const EDITS = ['Warm-up 1', 'Warm-up X', 'Warm-up Xy', 'Warm-up Xyz'].map(agentsFile);

export async function warmUp(profile: () => ProfileSetting, stopped: () => boolean): Promise<void> {
  for (const text of SAMPLES) {
    await yieldToEventLoop();
    if (stopped()) return;
    // Its own index, thrown away: nothing of it reaches the workspace's state.
    lintFiles([{ uri: 'untitled:warm-up.agent.yaml', text }], { profile: profile() });
  }
  // The edit path, on an index of its own too: the calls ServerState makes for each version.
  const index = new WorkspaceIndex(profile());
  const uri = 'untitled:warm-up.agents.yaml';
  for (const [version, text] of EDITS.entries()) {
    await yieldToEventLoop();
    if (stopped()) return;
    const analysis = index.set(uri, text, version);
    lintFile(analysis, {}, index.memo, 'warm-up');
    lintCrossFile(index, uri, {}, `warm-up:${index.crossGeneration}`);
    void analysis.manifest.lines.lineCount;
  }
}
