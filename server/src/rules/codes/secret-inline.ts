import { redact, secretsOf } from '../analysis/secrets';
import type { ResourceRule } from '../types';

export const secretInline: ResourceRule = {
  code: 'secret-inline',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'secret material in a manifest: a private key, a client secret, a password, a bearer token',
  docs: 'Secret material in a manifest: private keys, client secrets, passwords, bearer, JWT or cloud tokens. Manifests are committed and shared; secrets are not. The finding never echoes the secret in full. The quick fix replaces the value with an `${env:NAME}` reference, read from the environment when provisioning.',
  example: { bad: 'password: hunter2hunter2', good: 'password: ${env:BOT_PASSWORD}' },
  fixes: ['replace-secret'],
  check(bound, report) {
    for (const { value, span, kind, key, keySpan } of secretsOf(bound)) {
      report(
        span,
        `Secret material (${kind}, ${redact(value)}) must not live in a manifest: anyone who can read the repository can use it. Remove it and keep it in a secret store; rotate it if it was committed.`,
        { key: key ?? null, kind, ...(keySpan ? { keyStart: keySpan.start, keyEnd: keySpan.end } : {}) },
      );
    }
  },
};
