import type { ManifestNode } from '../../manifest/model';
import type { ResourceRule } from '../types';

/** Keys whose value is a secret whatever it looks like (compared without case, '-' or '_'). */
const SECRET_KEYS = new Set([
  'password', 'passwd', 'secret', 'clientsecret', 'apikey', 'privatekey', 'accesstoken',
  'refreshtoken', 'bearertoken', 'token', 'sharedsecret', 'signingkey',
]);

const SECRET_VALUES: { kind: string; pattern: RegExp }[] = [
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  { kind: 'a bearer token', pattern: /^\s*Bearer\s+[A-Za-z0-9._~+/-]{12,}=*\s*$/i },
  { kind: 'an AWS access key', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { kind: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/ },
  { kind: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
];

/**
 * What every SECRET_VALUES pattern contains (ignoring case, so a superset): a value without
 * any of these is tested against none of them.
 */
const MAY_BE_SECRET = /PRIVATE KEY-----|eyJ|Bearer|AKIA|gh[pousr]_|xox[abprs]-/i;

/** Keys normalised for SECRET_KEYS, per key as written (keys repeat across resources). */
const normalizedKeys = new Map<string, string>();

function normalizeKey(key: string): string {
  let n = normalizedKeys.get(key);
  if (n === undefined) {
    n = key.replace(/[-_]/g, '').toLowerCase();
    if (normalizedKeys.size > 10_000) normalizedKeys.clear();
    normalizedKeys.set(key, n);
  }
  return n;
}

/** A value that points at a secret instead of holding it. */
const PLACEHOLDER = /^\s*(\$\{[^}]+\}|env:[A-Za-z_][A-Za-z0-9_]*|<[^>]*>|\*+)\s*$/;

export const secretInline: ResourceRule = {
  code: 'secret-inline',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'secret material in a manifest: a private key, a client secret, a password, a bearer token',
  docs: 'Secret material in a manifest: private keys, client secrets, passwords, bearer, JWT or cloud tokens. Manifests are committed and shared; secrets are not. The finding never echoes the secret in full. The quick fix replaces the value with an `${env:NAME}` reference, read from the environment when provisioning.',
  example: { bad: 'password: hunter2hunter2', good: 'password: ${env:BOT_PASSWORD}' },
  fixes: ['replace-secret'],
  check(bound, report) {
    const visit = (node: ManifestNode, key: string | undefined, keySpan: { start: number; end: number } | undefined): void => {
      if (node.kind === 'map') {
        for (const e of node.entries) visit(e.value, e.key, e.keySpan);
        return;
      }
      if (node.kind === 'seq') {
        for (const item of node.items) visit(item, key, keySpan);
        return;
      }
      if (typeof node.value !== 'string' || node.value.trim() === '' || PLACEHOLDER.test(node.value)) return;
      const normalizedKey = key === undefined ? undefined : normalizeKey(key);
      const byValue = MAY_BE_SECRET.test(node.value) ? SECRET_VALUES.find((s) => s.pattern.test(node.value as string)) : undefined;
      const byKey = normalizedKey !== undefined && SECRET_KEYS.has(normalizedKey);
      if (!byValue && !byKey) return;
      const kind = byValue?.kind ?? `a ${key} value`;
      report(
        node.span,
        `Secret material (${kind}, ${redact(node.value)}) must not live in a manifest: anyone who can read the repository can use it. Remove it and keep it in a secret store; rotate it if it was committed.`,
        { key: key ?? null, kind, ...(keySpan ? { keyStart: keySpan.start, keyEnd: keySpan.end } : {}) },
      );
    };
    visit(bound.resource.root, undefined, undefined);
  },
};

/** Enough to recognise which secret it is, never enough to use it. */
export function redact(value: string): string {
  const t = value.trim();
  if (t.startsWith('-----BEGIN')) return t.split('\n')[0]!.slice(0, 40) + '…';
  return `${t.slice(0, Math.min(4, Math.floor(t.length / 4)))}… (${t.length} characters)`;
}
