import type { Span } from '../../manifest/text';
import type { Workspace } from '../../workspace/index';
import { key } from '../../workspace/keys';
import type { ResourceRecord } from '../../workspace/records';
import type { ReportIn, WorkspaceRule } from '../types';

export const credentialUnbound: WorkspaceRule = {
  code: 'credential-unbound',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'a credential not tied to the identity record (no `subject`, a certificate naming someone else, OAuth clients with no agents)',
  docs: 'A credential that is not tied to the identity record: certificates, protocol endpoints or an OAuth application without a `subject`; a certificate whose CN or SAN names someone else; OAuth clients with no agents. Such a credential authenticates something nobody can attribute. The quick fix adds a `subject`.',
  example: { bad: 'name: bot\nx509Certificates: [{value: MIIB…}]', good: 'name: bot\nsubject: bot\nx509Certificates: [{value: MIIB…}]' },
  fixes: ['add-subject'],
  check(workspace, report) {
    // Without applications no agent has an OAuth client to look up (no key strings per agent).
    const applications = workspace.countOf('AgenticApplication') > 0;
    for (const agent of workspace.ofType('Agent')) {
      const application = applications ? oauthApplicationOf(workspace, agent) : undefined;
      checkAgent(agent, application, report);
    }
    for (const app of workspace.ofType('AgenticApplication')) {
      if (!app.oauth || app.oauth.agents) continue;
      report(
        app.uri,
        app.oauth.span,
        `${app.label} has OAuth clients but no agents: tokens issued to them cannot be traced to an agent identity. List its agents under "agents".`,
        {
          fix: 'add-agents',
        },
      );
    }
  },
};

function checkAgent(agent: ResourceRecord, application: ResourceRecord | undefined, report: ReportIn): void {
  const credentials = agent.credentials!;
  const authenticatesBy = [
    credentials.certificates ? { what: 'certificates', span: credentials.certificates } : undefined,
    credentials.protocols ? { what: 'protocol endpoints', span: credentials.protocols } : undefined,
    application ? { what: `the OAuth clients of ${application.label}`, span: agent.anchor } : undefined,
  ].filter((x): x is { what: string; span: Span } => Boolean(x));

  if (credentials.definesSubject && authenticatesBy.length > 0 && !credentials.subjectAssigned) {
    const first = authenticatesBy[0]!;
    report(
      agent.uri,
      first.span,
      `${agent.label} can authenticate (${authenticatesBy.map((a) => a.what).join(', ')}) but has no "subject", so its tokens cannot be correlated to this identity. Add subject: the "sub" its tokens carry.`,
      { fix: 'add-subject', ...(credentials.suggestedSubject !== undefined ? { suggestedSubject: credentials.suggestedSubject } : {}) },
    );
  }
  for (const cert of agent.certificates) {
    if (cert.namesOther === undefined) continue;
    report(agent.uri, cert.span, `This certificate names ${cert.namesOther}, not ${agent.label} (${cert.wanted}): it is not bound to this agent.`, {
      certificateNames: cert.namesOther,
    });
  }
}

/** The application with OAuth clients that lists the agent (it authenticates through it), by the reverse index. */
function oauthApplicationOf(workspace: Workspace, agent: ResourceRecord): ResourceRecord | undefined {
  const candidates = [
    ...(agent.externalId && agent.externalId.value !== '' ? workspace.withKey(key.oauthAgentExact(agent.externalId.value)) : []),
    ...(agent.human ? workspace.withKey(key.oauthAgentName(agent.human.value)) : []),
  ];
  return candidates.find((app) => app.type === 'AgenticApplication');
}
