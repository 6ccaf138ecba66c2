/**
 * Credential state of an identity, read from the findings of the rules that already judge
 * credentials (credential-unbound, certificate-expired, certificate-expiring, certificate-invalid) so the inventory
 * can never disagree with the editor's diagnostics or `scim-agents lint`.
 */
import type { BoundResource } from '../model/bind';
import { parseCertificate } from '../model/certificates';
import type { Finding } from '../rules/types';
import { isAssigned, subValue, valuesOf } from '../model/values';
import type { CredentialState, InventoryCredential } from './types';

/** The rule codes whose findings decide a credential state. */
export const CREDENTIAL_CODES = ['credential-unbound', 'certificate-expired', 'certificate-expiring', 'certificate-invalid'] as const;

/** Worst first: the first state that applies wins. */
const ORDER: readonly CredentialState[] = ['expired', 'not-yet-valid', 'invalid', 'unbound', 'expiring', 'bound', 'none'];

export function credentialOf(resource: BoundResource, findings: readonly Finding[], now: Date, viaOAuthApplication: boolean): InventoryCredential {
  const candidates: { state: CredentialState; detail: string }[] = [];
  for (const f of findings) {
    if (f.code === 'certificate-invalid') candidates.push({ state: 'invalid', detail: f.message });
    else if (f.code === 'credential-unbound') candidates.push({ state: 'unbound', detail: f.message });
    else if (f.code === 'certificate-expired') candidates.push({ state: expiredKind(f, now), detail: f.message });
    else if (f.code === 'certificate-expiring') candidates.push({ state: 'expiring', detail: f.message });
  }
  const expiry = earliestExpiry(resource);
  const owned = hasCredentials(resource, viaOAuthApplication);
  if (owned) candidates.push({ state: 'bound', detail: owned });
  candidates.push({ state: 'none', detail: 'no certificate, subject, protocol or OAuth client' });
  candidates.sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  const chosen = candidates[0]!;
  return { state: chosen.state, detail: chosen.detail, ...(expiry ? { certificateExpiry: expiry } : {}) };
}

function expiredKind(f: Finding, now: Date): CredentialState {
  const validFrom = typeof f.data?.validFrom === 'string' ? Date.parse(f.data.validFrom) : NaN;
  return validFrom > now.getTime() ? 'not-yet-valid' : 'expired';
}

/** What ties the identity to its credentials, when nothing is wrong: a sentence, or undefined for none. */
function hasCredentials(r: BoundResource, viaOAuthApplication: boolean): string | undefined {
  const n = r.normalized;
  if (r.resourceType?.name === 'AgenticApplication') {
    return isAssigned(n.oAuthConfiguration) ? 'OAuth clients bound to the agents it lists' : undefined;
  }
  const means = [
    isAssigned(n.x509Certificates) ? 'certificates' : undefined,
    isAssigned(n.protocols) ? 'protocol endpoints' : undefined,
    viaOAuthApplication ? "its application's OAuth clients" : undefined,
  ].filter(Boolean);
  if (isAssigned(n.subject)) return means.length ? `${means.join(', ')} bound by subject "${String(n.subject)}"` : `subject "${String(n.subject)}"`;
  return undefined;
}

function earliestExpiry(r: BoundResource): string | undefined {
  let earliest: Date | undefined;
  for (const item of valuesOf(r, 'x509Certificates')) {
    const v = subValue(r, item, 'value');
    if (!v || typeof v.value !== 'string') continue;
    const parsed = parseCertificate(v.value);
    if (parsed.ok && (!earliest || parsed.info.validTo < earliest)) earliest = parsed.info.validTo;
  }
  return earliest?.toISOString();
}
