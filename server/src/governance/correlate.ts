/**
 * Token correlation: which governed identity does a token belong to? Keyed on the pair
 * (iss, sub) wherever the manifests know the issuer, never on a bare `sub` alone when they do
 * (a `sub` is only unique per issuer). Abbey's Agent carries `subject` but no issuer; the
 * issuer comes from the OAuth clients (`issuerUri`) of the applications that list the agent.
 */
import type { DecodedToken } from './jwt';
import type { Inventory, InventoryItem, InventoryOwner } from './types';

export type IssuerCheck = 'match' | 'mismatch' | 'unknown' | 'token-has-no-iss';

export interface CorrelatedAgent {
  key: string;
  label: string;
  name: string;
  uri: string;
  line: number;
  range: InventoryItem['range'];
  subject: string;
  owners: InventoryOwner[];
  applications: { key: string; label: string }[];
  /** Issuers the manifests know for it. */
  issuers: string[];
  issuerCheck: IssuerCheck;
  orphaned: boolean;
}

export interface ServerSubjectMatch {
  id: string;
  name?: string;
  displayName?: string;
  externalId?: string;
  active?: boolean;
  /** The workspace agent it is (by externalId, then name), if any. */
  workspaceKey?: string;
}

export interface ServerSubjectResult {
  host: string;
  status: 'ok' | 'no-agent-type' | 'error';
  matches: ServerSubjectMatch[];
  message?: string;
}

export interface Correlation {
  token: { sub: string; iss?: string; aud?: string[]; expires?: string; expired?: boolean; alg?: string };
  /** matched: governed identities found; server-only: only the server knows it; issuer-mismatch: same sub, other issuer; no-match. */
  verdict: 'matched' | 'server-only' | 'issuer-mismatch' | 'no-match';
  matches: CorrelatedAgent[];
  /** Agents with the token's subject whose known issuers do not include the token's `iss`. */
  issuerMismatches: CorrelatedAgent[];
  server?: ServerSubjectResult;
  warnings: string[];
  /** One sentence for a notification. */
  summary: string;
}

export function correlateToken(inventory: Inventory, token: DecodedToken, server?: ServerSubjectResult, now: Date = new Date()): Correlation {
  const byKey = new Map(inventory.items.map((i) => [i.key, i]));
  const candidates = inventory.items.filter((i) => i.kind === 'Agent' && i.subject === token.sub); // subject is caseExact on the server side too
  const matches: CorrelatedAgent[] = [];
  const issuerMismatches: CorrelatedAgent[] = [];
  for (const agent of candidates) {
    const check: IssuerCheck =
      agent.issuers.length === 0 ? 'unknown' : token.iss === undefined ? 'token-has-no-iss' : agent.issuers.includes(token.iss) ? 'match' : 'mismatch';
    const entry: CorrelatedAgent = {
      key: agent.key,
      label: agent.label,
      name: agent.name,
      uri: agent.uri,
      line: agent.line,
      range: agent.range,
      subject: agent.subject!,
      owners: agent.owners,
      applications: agent.applications.map((k) => ({ key: k, label: byKey.get(k)?.label ?? k })),
      issuers: agent.issuers,
      issuerCheck: check,
      orphaned: agent.orphaned,
    };
    (check === 'mismatch' ? issuerMismatches : matches).push(entry);
  }

  const warnings: string[] = [];
  if (matches.length > 1)
    warnings.push(
      `${matches.length} identities share the subject "${token.sub}" (${matches.map((m) => m.label).join(', ')}): the token cannot be attributed to one of them. Give each agent its own subject.`,
    );
  for (const m of matches) {
    if (m.issuerCheck === 'token-has-no-iss')
      warnings.push(`The token has no "iss" claim, so the match with ${m.label} is not issuer-qualified (its issuers: ${m.issuers.join(', ')}).`);
    else if (m.issuerCheck === 'unknown' && token.iss !== undefined)
      warnings.push(
        `The manifests do not say which issuer signs ${m.label}'s tokens (list it in an application whose OAuth client has an issuerUri), so the match is on "sub" alone.`,
      );
    if (m.orphaned) warnings.push(`${m.label} is orphaned: an owner is inactive, deleted or an empty group.`);
  }
  for (const m of issuerMismatches)
    warnings.push(`${m.label} has the subject "${token.sub}" but its tokens are issued by ${m.issuers.join(', ')}, not by "${token.iss}".`);
  if (server?.status === 'ok' && server.matches.length > 1) warnings.push(`The server has ${server.matches.length} agents with the subject "${token.sub}".`);
  if (server && server.status !== 'ok' && server.message) warnings.push(server.message);
  const expired = token.expires ? Date.parse(token.expires) < now.getTime() : undefined;

  const serverCount = server?.status === 'ok' ? server.matches.length : 0;
  const verdict: Correlation['verdict'] = matches.length ? 'matched' : serverCount ? 'server-only' : issuerMismatches.length ? 'issuer-mismatch' : 'no-match';
  return {
    token: {
      sub: token.sub,
      ...(token.iss !== undefined ? { iss: token.iss } : {}),
      ...(token.aud ? { aud: token.aud } : {}),
      ...(token.expires ? { expires: token.expires, expired: expired === true } : {}),
      ...(token.alg ? { alg: token.alg } : {}),
    },
    verdict,
    matches,
    issuerMismatches,
    ...(server ? { server } : {}),
    warnings,
    summary: summarize(verdict, token, matches, issuerMismatches, server),
  };
}

function summarize(
  verdict: Correlation['verdict'],
  token: DecodedToken,
  matches: CorrelatedAgent[],
  mismatches: CorrelatedAgent[],
  server?: ServerSubjectResult,
): string {
  const who = `sub "${token.sub}"${token.iss ? `, iss "${token.iss}"` : ''}`;
  switch (verdict) {
    case 'matched': {
      const m = matches[0]!;
      const owners = m.owners.map((o) => o.reference).join(', ') || 'no owner';
      if (matches.length > 1) return `The token (${who}) matches ${matches.length} agents that share this subject: ${matches.map((x) => x.label).join(', ')}.`;
      const apps = m.applications.map((a) => a.label).join(', ');
      return `The token (${who}) belongs to ${m.label}, owned by ${owners}${apps ? `, in ${apps}` : ''}.`;
    }
    case 'server-only':
      return `The token (${who}) matches ${server!.matches.length} agent(s) on ${server!.host} (${server!.matches.map((s) => s.name ?? s.id).join(', ')}) that no manifest of this workspace declares.`;
    case 'issuer-mismatch':
      return `The token (${who}) belongs to no governed identity: ${mismatches.map((m) => m.label).join(', ')} has this subject but another issuer (${[...new Set(mismatches.flatMap((m) => m.issuers))].join(', ')}).`;
    default:
      return `The token (${who}) belongs to no governed identity${server?.status === 'ok' ? ` in the workspace or on ${server.host}` : ' in the workspace'}.`;
  }
}

export function renderCorrelationText(c: Correlation, fileName: (uri: string) => string = (u) => u): string {
  const lines = [c.summary, ''];
  lines.push(
    `token: sub ${c.token.sub}${c.token.iss ? ` · iss ${c.token.iss}` : ' · no iss'}${c.token.aud ? ` · aud ${c.token.aud.join(', ')}` : ''}${c.token.expires ? ` · ${c.token.expired ? 'expired' : 'expires'} ${c.token.expires}` : ''}`,
  );
  for (const m of c.matches) {
    lines.push(`${m.label}  ${fileName(m.uri)}:${m.line}`);
    lines.push(
      `  owners: ${m.owners.map((o) => `${o.reference} → ${o.resolvesTo}${o.status === 'ok' || o.status === 'unknown' ? '' : ` [${o.status}]`}`).join('; ') || 'none'}`,
    );
    lines.push(`  applications: ${m.applications.map((a) => a.label).join(', ') || 'none'}`);
    lines.push(
      `  issuer: ${m.issuerCheck === 'match' ? 'matches' : m.issuerCheck === 'unknown' ? 'not known to the manifests' : 'the token has none'}${m.issuers.length ? ` (${m.issuers.join(', ')})` : ''}`,
    );
  }
  if (c.server?.status === 'ok') {
    lines.push(
      `server ${c.server.host}: ${c.server.matches.length ? c.server.matches.map((s) => `Agent ${s.name ?? s.id} (id ${s.id}${s.active === false ? ', inactive' : ''}${s.workspaceKey ? ', declared in the workspace' : ', not in any manifest'})`).join('; ') : 'no agent has this subject'}`,
    );
  }
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
