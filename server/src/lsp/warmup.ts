/**
 * Warms the engine while the server is idle after start-up: the first lint of a resource type
 * compiles its JSON Schema validator and runs cold code, a few hundred milliseconds that would
 * otherwise fall on the first manifest the user opens. One resource type per turn of the event
 * loop (most used first), so a file opened meanwhile waits for one step at most.
 */
import type { ProfileSetting } from '../model/bind';
import { lintFiles } from '../lint/linter';
import { yieldToEventLoop } from './scheduler';

const SAMPLES = ['Agent', 'AgenticApplication', 'User', 'Group'].map((type) => `schemas: [urn:ietf:params:scim:schemas:core:2.0:${type}]\nname: warm-up\n`);

export async function warmUp(profile: () => ProfileSetting, stopped: () => boolean): Promise<void> {
  for (const text of SAMPLES) {
    await yieldToEventLoop();
    if (stopped()) return;
    // Its own index, thrown away: nothing of it reaches the workspace's state.
    lintFiles([{ uri: 'untitled:warm-up.agent.yaml', text }], { profile: profile() });
  }
}
