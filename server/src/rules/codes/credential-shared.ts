import type { Span } from '../../manifest/text';
import type { BoundResource } from '../../model/bind';
import { labelOf } from '../../workspace/index';
import { certificateKey, key } from '../../workspace/keys';
import type { WorkspaceRule } from '../types';
import { attr, subValue, valuesOf } from '../../model/values';

export const credentialShared: WorkspaceRule = {
  code: 'credential-shared',
  scope: 'workspace',
  defaultSeverity: 'warning',
  title: 'one certificate or subject on two identities',
  docs: 'One certificate or one subject on two identities: whatever authenticates with it cannot be told apart. Give each identity its own credential.',
  example: { bad: '# two agents with\nsubject: same', good: '# distinct subjects\nsubject: bot-1' },
  fixes: [],
  check(workspace, report) {
    const flag = (r: BoundResource, span: Span, what: string, holders: readonly BoundResource[]) => {
      const others = [...new Set(holders)].filter((o) => o !== r);
      if (others.length === 0) return;
      report(r.uri, span, `The same ${what} is also on ${others.map((o) => labelOf(o)).join(', ')}: one credential must identify exactly one identity.`, {
        what,
      });
    };
    for (const r of workspace.resources()) {
      for (const item of valuesOf(r, 'x509Certificates')) {
        const v = subValue(r, item, 'value');
        if (v && typeof v.value === 'string') flag(r, v.span, 'certificate', workspace.withKey(certificateKey(v.value)));
      }
      const subject = r.normalized.subject;
      const subjectAttr = attr(r, 'subject');
      if (typeof subject === 'string' && subject !== '' && subjectAttr)
        flag(r, subjectAttr.entry.value.span, 'subject', workspace.withKey(key.subject(subject)));
    }
  },
};
