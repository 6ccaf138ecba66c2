import { ownerTargetsOfAgents } from '../analysis/owners';
import type { WorkspaceRule } from '../types';

export const ownerUnresolved: WorkspaceRule = {
  code: 'owner-unresolved',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: "an owner reference that resolves to nothing (workspace, or the server's users and groups when connected)",
  docs: "An owner reference (`user:…` or `group:…`) that resolves to nothing: not among the Users and Groups the workspace declares nor, when an endpoint is connected, among the server's. With neither (no Users declared, no endpoint) an owner cannot be judged and is not reported.",
  example: { bad: 'owners: [{value: user:mallory}]', good: 'owners: [{value: user:alice}]' },
  fixes: [],
  check(workspace, report, ctx) {
    for (const [agent, owners] of ownerTargetsOfAgents(workspace, ctx)) {
      for (const owner of owners) {
        if (owner.status !== 'unresolved') continue;
        report(agent.uri, owner.span, owner.message, { reference: owner.reference, kind: owner.kind });
      }
    }
  },
};
