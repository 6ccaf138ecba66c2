import type { Span } from '../../manifest/text';
import type { BoundResource } from '../../model/bind';
import { certificateNames, parseCertificate } from '../../model/certificates';
import { humanKeyOf, labelOf, type Workspace } from '../../workspace/index';
import { key } from '../../workspace/keys';
import type { ReportIn, WorkspaceRule } from '../types';
import { attr, isAssigned, subValue, valuesOf } from '../../model/values';
import { resourceAnchor } from '../util';

export const credentialUnbound: WorkspaceRule = {
  code: 'credential-unbound',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'a credential not tied to the identity record (no `subject`, a certificate naming someone else, OAuth clients with no agents)',
  docs: 'A credential that is not tied to the identity record: certificates, protocol endpoints or an OAuth application without a `subject`; a certificate whose CN or SAN names someone else; OAuth clients with no agents. Such a credential authenticates something nobody can attribute. The quick fix adds a `subject`.',
  example: { bad: 'name: bot\nx509Certificates: [{value: MIIB…}]', good: 'name: bot\nsubject: bot\nx509Certificates: [{value: MIIB…}]' },
  fixes: ['add-subject'],
  check(workspace, report) {
    for (const agent of workspace.ofType('Agent')) {
      const application = oauthApplicationOf(workspace, agent);
      // An agent's findings follow from its own binding and the application it authenticates through.
      const cached = agentCache.get(agent.top);
      if (cached && cached.application === application?.top) {
        for (const f of cached.found) report(agent.uri, f.span, f.message, f.data);
        continue;
      }
      const found: { span: Span; message: string; data: Record<string, unknown> }[] = [];
      checkAgent(agent, application, (uri, span, message, data) => {
        found.push({ span, message, data: data! });
        report(uri, span, message, data);
      });
      agentCache.set(agent.top, { application: application?.top, found });
    }
    for (const app of workspace.ofType('AgenticApplication')) {
      const oauth = attr(app, 'oAuthConfiguration');
      if (!oauth || !isAssigned(app.normalized.oAuthConfiguration) || isAssigned(app.normalized.agents)) continue;
      report(
        app.uri,
        oauth.entry.keySpan,
        `${labelOf(app)} has OAuth clients but no agents: tokens issued to them cannot be traced to an agent identity. List its agents under "agents".`,
        {
          fix: 'add-agents',
        },
      );
    }
  },
};

const agentCache = new WeakMap<
  BoundResource['top'],
  { application: BoundResource['top'] | undefined; found: { span: Span; message: string; data: Record<string, unknown> }[] }
>();

function checkAgent(agent: BoundResource, application: BoundResource | undefined, report: ReportIn): void {
  // Only drafts with a `subject` attribute can bind tokens to the record (abbey-00).
  const definesSubject = (agent.profile.schemas.get(agent.resourceType!.schema)?.attributes ?? []).some((a) => a.name === 'subject');
  const certs = attr(agent, 'x509Certificates');
  const protocols = attr(agent, 'protocols');
  const authenticatesBy = [
    certs && isAssigned(agent.normalized.x509Certificates) ? { what: 'certificates', span: certs.entry.keySpan } : undefined,
    protocols && isAssigned(agent.normalized.protocols) ? { what: 'protocol endpoints', span: protocols.entry.keySpan } : undefined,
    application ? { what: `the OAuth clients of ${labelOf(application)}`, span: resourceAnchor(agent) } : undefined,
  ].filter((x): x is { what: string; span: { start: number; end: number } } => Boolean(x));

  if (definesSubject && authenticatesBy.length > 0 && !isAssigned(agent.normalized.subject)) {
    const first = authenticatesBy[0]!;
    const suggested = typeof agent.normalized.externalId === 'string' ? agent.normalized.externalId : agent.normalized.name;
    report(
      agent.uri,
      first.span,
      `${labelOf(agent)} can authenticate (${authenticatesBy.map((a) => a.what).join(', ')}) but has no "subject", so its tokens cannot be correlated to this identity. Add subject: the "sub" its tokens carry.`,
      { fix: 'add-subject', ...(typeof suggested === 'string' ? { suggestedSubject: suggested } : {}) },
    );
  }

  const identifiers = ['name', 'agentUserName', 'externalId', 'subject', 'displayName']
    .map((k) => agent.normalized[k])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  for (const item of valuesOf(agent, 'x509Certificates')) {
    const v = subValue(agent, item, 'value');
    if (!v || typeof v.value !== 'string') continue;
    const parsed = parseCertificate(v.value);
    if (!parsed.ok || certificateNames(parsed.info, identifiers)) continue;
    const names = [...parsed.info.commonNames.map((n) => `CN=${n}`), ...parsed.info.subjectAltNames].join(', ') || 'no names';
    report(agent.uri, v.span, `This certificate names ${names}, not ${labelOf(agent)} (${identifiers.join(', ')}): it is not bound to this agent.`, {
      certificateNames: names,
    });
  }
}

/** The application with OAuth clients that lists the agent (it authenticates through it), by the reverse index. */
function oauthApplicationOf(workspace: Workspace, agent: BoundResource): BoundResource | undefined {
  const ext = agent.normalized.externalId;
  const human = humanKeyOf(agent);
  const candidates = [
    ...(typeof ext === 'string' && ext !== '' ? workspace.withKey(key.oauthAgentExact(ext)) : []),
    ...(human ? workspace.withKey(key.oauthAgentName(human.value)) : []),
  ];
  return candidates.find((app) => app.resourceType?.name === 'AgenticApplication');
}
