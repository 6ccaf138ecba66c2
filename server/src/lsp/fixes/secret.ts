import { humanKeyOf } from '../../workspace/index';
import { Editor, entryWithKeyAt, type FixProvider } from './edits';

/** An environment variable name for a secret: the resource's name and the key, in SCREAMING_SNAKE_CASE. */
export function envName(resourceKey: string | undefined, key: string | undefined): string {
  const snake = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
  const parts = [resourceKey, key ?? 'secret']
    .filter((p): p is string => Boolean(p))
    .map(snake)
    .filter(Boolean);
  const name = parts.join('_') || 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** secret-inline: replace the value with a `${env:NAME}` reference (and say so in a comment), or remove the entry. */
export const replaceSecret: FixProvider = ({ analysis, resource, finding }) => {
  const key = typeof finding.data?.key === 'string' ? finding.data.key : undefined;
  const name = envName(humanKeyOf(resource)?.value, key);
  const placeholder = `\${env:${name}}`;
  const replace = new Editor(analysis);
  if (!replace.json) {
    const keyStart = typeof finding.data?.keyStart === 'number' ? finding.data.keyStart : finding.span.start;
    replace.commentAbove(keyStart, `scim-agents: the secret was moved out of the manifest; set ${name} in the environment and rotate the old value.`);
  }
  const raw = replace.text.slice(finding.span.start, finding.span.end);
  replace.replace(replace.trimmed(finding.span), raw.startsWith("'") ? `'${placeholder}'` : JSON.stringify(placeholder));
  const fixes = [{ title: `Replace the secret with ${placeholder}`, edits: replace.result(), preferred: true }];
  if (typeof finding.data?.keyStart === 'number') {
    const hit = entryWithKeyAt(resource.resource.root, finding.data.keyStart);
    if (hit)
      fixes.push({
        title: `Remove "${hit.entry.key}" from the manifest`,
        edits: new Editor(analysis).removeEntry(hit.map, hit.entry).result(),
        preferred: false,
      });
  }
  return fixes;
};
