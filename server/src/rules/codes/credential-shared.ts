import type { Span } from '../../manifest/text';
import type { ResourceRecord } from '../../workspace/records';
import type { WorkspaceRule } from '../types';

export const credentialShared: WorkspaceRule = {
  code: 'credential-shared',
  scope: 'workspace',
  defaultSeverity: 'warning',
  title: 'one certificate or subject on two identities',
  docs: 'One certificate or one subject on two identities: whatever authenticates with it cannot be told apart. Give each identity its own credential.',
  example: { bad: '# two agents with\nsubject: same', good: '# distinct subjects\nsubject: bot-1' },
  fixes: [],
  check(workspace, report) {
    const flag = (r: ResourceRecord, span: Span, what: string, holders: readonly ResourceRecord[]) => {
      // The record itself is one of its key's holders: alone, it shares nothing (most do not).
      if (holders.length < 2) return;
      const others = [...new Set(holders)].filter((o) => o !== r);
      if (others.length === 0) return;
      report(r.uri, span, `The same ${what} is also on ${others.map((o) => o.label).join(', ')}: one credential must identify exactly one identity.`, {
        what,
      });
    };
    for (const r of workspace.records()) {
      for (const c of r.certificates) flag(r, c.span, 'certificate', workspace.withKey(c.key));
      if (r.subject?.span) flag(r, r.subject.span, 'subject', workspace.withKey(r.subject.key));
    }
  },
};
