import { PROFILE_IDS } from '../../schema/types';
import type { ResourceRule } from '../types';

export const profileUnknown: ResourceRule = {
  code: 'profile-unknown',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a profile name that scim-agents does not know',
  docs: 'The file names a profile (a `# scim-agents-profile:` comment or an `x-scim-agents-profile` key) that does not exist. Known profiles: `abbey-00` (draft-abbey-scim-agent-extension-00) and `wzdk-00` (draft-wzdk-scim-agent-resource-00).',
  example: { bad: '# scim-agents-profile: abbey-99', good: '# scim-agents-profile: abbey-00' },
  fixes: [],
  check(bound, report) {
    if (bound.serverUnavailable) {
      const span = bound.resource.root.entries[0]?.keySpan ?? bound.resource.root.span;
      report(
        span,
        `The server profile validates against the schemas your SCIM endpoint serves, but ${bound.serverUnavailable}. Validating as ${bound.profile.id} instead.`,
        {
          profile: 'server',
          reason: bound.serverUnavailable,
        },
      );
    }
    const unknown = bound.unknownProfile;
    if (!unknown) return;
    const span = unknown.entry?.value.span ?? bound.resource.root.entries[0]?.keySpan ?? bound.resource.root.span;
    report(span, `Unknown profile "${unknown.name}"; known profiles are ${[...PROFILE_IDS, 'server'].join(', ')}. Validating as ${bound.profile.id}.`, {
      profile: unknown.name,
      known: [...PROFILE_IDS, 'server'],
    });
  },
};
