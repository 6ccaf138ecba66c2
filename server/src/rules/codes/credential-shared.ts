import type { Span } from '../../manifest/text';
import type { BoundResource } from '../analysis/bind';
import { parseCertificate } from '../analysis/certificates';
import { labelOf } from '../../workspace/index';
import type { WorkspaceRule } from '../types';
import { attr, subValue, valuesOf } from '../util';
import { appendTo } from '../../util/maps';

interface Holder {
  r: BoundResource;
  span: Span;
}

export const credentialShared: WorkspaceRule = {
  code: 'credential-shared',
  scope: 'workspace',
  defaultSeverity: 'warning',
  title: 'one certificate or subject on two identities',
  docs: 'One certificate or one subject on two identities: whatever authenticates with it cannot be told apart. Give each identity its own credential.',
  example: { bad: '# two agents with\nsubject: same', good: '# distinct subjects\nsubject: bot-1' },
  fixes: [],
  check(workspace, report) {
    const certificates = new Map<string, Holder[]>();
    const subjects = new Map<string, Holder[]>();
    for (const r of workspace.resources()) {
      for (const item of valuesOf(r, 'x509Certificates')) {
        const v = subValue(r, item, 'value');
        if (!v || typeof v.value !== 'string') continue;
        const parsed = parseCertificate(v.value);
        appendTo(certificates, parsed.ok ? parsed.info.fingerprint256 : v.value.replace(/\s+/g, ''), { r, span: v.span });
      }
      const subject = r.normalized.subject;
      const subjectAttr = attr(r, 'subject');
      if (typeof subject === 'string' && subject !== '' && subjectAttr) appendTo(subjects, subject, { r, span: subjectAttr.entry.value.span });
    }
    const flag = (m: Map<string, Holder[]>, what: string) => {
      for (const holders of m.values()) {
        const distinct = new Set(holders.map((h) => h.r));
        if (distinct.size < 2) continue;
        for (const h of holders) {
          const others = [...distinct].filter((o) => o !== h.r).map((o) => labelOf(o));
          report(h.r.uri, h.span, `The same ${what} is also on ${others.join(', ')}: one credential must identify exactly one identity.`, { what });
        }
      }
    };
    flag(certificates, 'certificate');
    flag(subjects, 'subject');
  },
};
