/**
 * The one secret detector: secret-inline reports what it finds, and every finding message and
 * inventory field is redacted with it (rules/redact.ts), so no output prints what secret-inline
 * masks. Every pattern here runs on manifest text, so each is linear in its input: bounded
 * quantifiers, one anchored start, or a scan by hand where a pattern could not be.
 */
import type { ManifestNode, MapNode, ScalarNode, SeqNode } from '../../manifest/model';
import type { Span } from '../../manifest/text';
import type { BoundResource } from '../../model/bind';

/** Keys whose value is a secret whatever it looks like (compared without case, '-' or '_'). */
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'apikey',
  'privatekey',
  'accesstoken',
  'refreshtoken',
  'bearertoken',
  'token',
  'sharedsecret',
  'signingkey',
]);

/** What a sibling `type` or `system` of a multi-valued item may say its `value` is. */
const SECRET_TYPES = new Set(['apikey', 'secret', 'token', 'password', 'privatekey']);

/**
 * Each shape with `may`, a plain search for what its test needs (a value without it cannot pass
 * the test): a value is tested only against the shapes it may be. URLs are common values and
 * all pass MAY_BE_SECRET; the JWT scan of every one of them was most of this detector's time.
 */
const SHAPES: { kind: string; may: RegExp; test: (value: string) => boolean }[] = [
  // At most 4 words of at most 20 letters between BEGIN and PRIVATE KEY: "ENCRYPTED", "RSA", "EC"...
  { kind: 'a private key', may: /PRIVATE KEY-----/, test: (v) => /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----/.test(v) },
  { kind: 'a JSON Web Token', may: /eyJ/, test: containsJwt },
  // Anchored at both ends, the classes do not overlap: one pass.
  { kind: 'a bearer token', may: /Bearer/i, test: (v) => /^\s*Bearer\s+[A-Za-z0-9._~+/-]{12,}=*\s*$/i.test(v) },
  { kind: 'an AWS access key', may: /AKIA/, test: (v) => /\bAKIA[0-9A-Z]{16}\b/.test(v) },
  // A match may start only after a non-word character and its run ends at the next '_' or
  // non-word character: the runs tried from different starts do not overlap.
  { kind: 'a GitHub token', may: /gh[pousr]_/, test: (v) => /\bgh[pousr]_[A-Za-z0-9]{30,}\b/.test(v) },
  { kind: 'a Slack token', may: /xox[abprs]-/, test: (v) => /\bxox[abprs]-[A-Za-z0-9-]{10}/.test(v) },
  { kind: 'a password in a URL', may: /:\/\//, test: (v) => urlPassword(v) !== undefined },
];

/**
 * What every SHAPES test needs (ignoring case, so a superset): a value without any of these is
 * tested against none of them.
 */
const MAY_BE_SECRET = /PRIVATE KEY-----|eyJ|Bearer|AKIA|gh[pousr]_|xox[abprs]-|:\/\//i;

/** A value that points at a secret instead of holding it. */
const PLACEHOLDER = /^\s*(?:\$\{[^}]{1,200}\}|env:[A-Za-z_][A-Za-z0-9_]{0,200}|<[^>]{0,200}>|\*{1,200})\s*$/;
/** The only placeholder a typed secret (`type: apiKey`) may hold. */
const ENV_PLACEHOLDER = /^\s*\$\{env:[A-Za-z_][A-Za-z0-9_]{0,200}\}\s*$/;

/** The kind of secret a string looks like, whatever key holds it. */
export function secretShapeOf(value: string): string | undefined {
  if (!MAY_BE_SECRET.test(value)) return undefined;
  return SHAPES.find((s) => s.may.test(value) && s.test(value))?.kind;
}

/**
 * Whether the text holds a JWT: `eyJ…` (8 or more base64url characters), '.', `eyJ…` (8 or
 * more), '.', and a signature that may be empty. A pattern for this backtracks quadratically on
 * `-eyJ-eyJ…` (every start scans the whole run); this walks each run of JWT characters once.
 */
export function containsJwt(text: string): boolean {
  const runs = /[A-Za-z0-9_.-]+/g;
  for (let m = runs.exec(text); m; m = runs.exec(text)) {
    const parts = m[0].split('.');
    for (let i = 0; i + 2 < parts.length; i++) {
      if (headerTail(parts[i]!) && parts[i + 1]!.startsWith('eyJ') && parts[i + 1]!.length >= 11) return true;
    }
  }
  return false;
}

/** Whether a base64url segment ends in `eyJ` + 8 or more characters that start at a word boundary. */
function headerTail(segment: string): boolean {
  const at = segment.indexOf('eyJ');
  for (let i = at; i >= 0 && segment.length - i >= 11; i = segment.indexOf('eyJ', i + 1)) {
    if (i === 0 || segment[i - 1] === '-') return true;
  }
  return false;
}

/**
 * The password of a URL's userinfo (`https://user:pass@host/…`), unless it is a placeholder.
 * The authority ends at the first '/', '?', '#' or space; userinfo runs to its last '@'.
 */
export function urlPassword(value: string): string | undefined {
  // No '@', no userinfo: most URLs in a manifest are endpoints, not this.
  if (!value.includes('@')) return undefined;
  const scheme = /^\s*[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//.exec(value);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  let end = start;
  while (end < value.length && !'/?#'.includes(value[end]!) && !/\s/.test(value[end]!)) end++;
  const authority = value.slice(start, end);
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const colon = authority.indexOf(':');
  if (colon < 0 || colon > at) return undefined;
  const password = authority.slice(colon + 1, at);
  if (password === '' || PLACEHOLDER.test(password) || PLACEHOLDER.test(decodeSafe(password))) return undefined;
  return password;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One value that is secret material. */
export interface SecretHit {
  value: string;
  span: Span;
  kind: string;
  key: string | undefined;
  keySpan: Span | undefined;
}

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

/** What the sibling `type` or `system` of an item's `value` says it is, when that is a secret. */
function typedSecret(item: MapNode): string | undefined {
  for (const e of item.entries) {
    const k = e.key.toLowerCase();
    if ((k === 'type' || k === 'system') && e.value.kind === 'scalar' && typeof e.value.value === 'string') {
      const said = e.value.value.length <= 40 ? normalizeKey(e.value.value.trim()) : '';
      if (SECRET_TYPES.has(said)) return e.value.value.trim();
    }
  }
  return undefined;
}

/**
 * The secrets of a binding, found once while the binding lives: secret-inline reports them and
 * the redactor (lint/redact.ts) masks them in every message; a plan of 11,000 resources walked
 * every tree twice. The hits' spans are the nodes' own, so they move with them.
 */
const hitsOf = new WeakMap<BoundResource['top'], readonly SecretHit[]>();
export function secretsOf(bound: BoundResource): readonly SecretHit[] {
  let hits = hitsOf.get(bound.top);
  if (!hits) hitsOf.set(bound.top, (hits = findSecrets(bound.resource.root)));
  return hits;
}

/** Every secret value of a resource, in document order. */
export function findSecrets(root: MapNode): SecretHit[] {
  const out: SecretHit[] = [];
  // An explicit stack: a deeply nested document must not exhaust the call stack. Only maps and
  // sequences go on it; a scalar is judged where it is met (most nodes, and no object for each).
  const stack: { node: MapNode | SeqNode; key: string | undefined; keySpan: Span | undefined; typed: string | undefined }[] = [
    { node: root, key: undefined, keySpan: undefined, typed: undefined },
  ];
  const visit = (node: ManifestNode, key: string | undefined, keySpan: Span | undefined, typed: string | undefined) => {
    if (node.kind === 'map' || node.kind === 'seq') stack.push({ node, key, keySpan, typed });
    else judgeScalar(node, key, keySpan, typed, out);
  };
  while (stack.length > 0) {
    const { node, key, keySpan, typed } = stack.pop()!;
    if (node.kind === 'map') {
      for (let i = node.entries.length - 1; i >= 0; i--) {
        const e = node.entries[i]!;
        visit(e.value, e.key, e.keySpan, typed && e.key.toLowerCase() === 'value' ? typed : undefined);
      }
    } else {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i]!;
        // A multi-valued complex attribute's item: its `type` may say its `value` is a secret.
        visit(item, key, keySpan, item.kind === 'map' ? typedSecret(item) : undefined);
      }
    }
  }
  // Found in document order, as a walk of the whole tree in order would find them.
  return out.sort((a, b) => a.span.start - b.span.start);
}

function judgeScalar(node: ScalarNode, key: string | undefined, keySpan: Span | undefined, typed: string | undefined, out: SecretHit[]): void {
  const v = node.value;
  if (typeof v !== 'string' || v.trim() === '') return;
  if (typed !== undefined) {
    if (!ENV_PLACEHOLDER.test(v)) out.push({ value: v, span: node.span, kind: `a value of type ${typed}`, key, keySpan });
    return;
  }
  if (PLACEHOLDER.test(v)) return;
  const byKey = key !== undefined && SECRET_KEYS.has(normalizeKey(key));
  const kind = secretShapeOf(v) ?? (byKey ? `a ${key} value` : undefined);
  if (kind) out.push({ value: v, span: node.span, kind, key, keySpan });
}

/** Enough to recognise which secret it is, never enough to use it. */
export function redact(value: string): string {
  const t = value.trim();
  if (t.startsWith('-----BEGIN')) return t.split('\n', 1)[0]!.slice(0, 40) + '…';
  return `${t.slice(0, Math.min(4, Math.floor(t.length / 4)))}… (${t.length} characters)`;
}
