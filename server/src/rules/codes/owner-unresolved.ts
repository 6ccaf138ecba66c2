import { ownerTargetsOfAgents } from '../analysis/owners';
import type { WorkspaceRule } from '../types';

export const ownerUnresolved: WorkspaceRule = {
  code: 'owner-unresolved',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: "an owner reference that resolves to nothing (workspace, or the server's users and groups when connected)",
  fixable: false,
  check(workspace, report, ctx) {
    for (const [agent, owners] of ownerTargetsOfAgents(workspace, ctx.directory)) {
      for (const owner of owners) {
        if (owner.status !== 'unresolved') continue;
        report(agent.uri, owner.span, owner.message, { reference: owner.reference, kind: owner.kind });
      }
    }
  },
};
