/**
 * The linked-user fallback (draft-abbey §4.1): where a server has no Agent resource type, an agent
 * may be provisioned as a User, only when the person asks for it. The mapping follows the drafts
 * reference (§2.3, a recommendation, not draft text). The PAM LinkedObject marker the draft
 * mentions is not added: its URN and attributes are not verified yet.
 */
import { URN } from '../schema/types';

/** Agent attribute → User attribute, for the attributes that have an equivalent. */
const MAPPED: Record<string, string> = {
  name: 'userName',
  agentUserName: 'userName',
  displayName: 'displayName',
  active: 'active',
  externalId: 'externalId',
  entitlements: 'entitlements',
  roles: 'roles',
  x509Certificates: 'x509Certificates',
  agentType: 'userType',
};

/** Attributes that are not data to carry over. */
const IGNORED = new Set(['schemas', 'id', 'meta']);

export interface FallbackBody {
  body: Record<string, unknown>;
  /** Agent attributes the User cannot hold (owners, subject, protocols, parent…). */
  dropped: string[];
}

export function agentAsUser(agent: Record<string, unknown>): FallbackBody {
  const body: Record<string, unknown> = { schemas: [URN.user] };
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(agent)) {
    if (IGNORED.has(name)) continue;
    const target = MAPPED[name];
    if (target && !(target in body)) body[target] = value;
    else dropped.push(name);
  }
  return { body, dropped: dropped.sort() };
}
