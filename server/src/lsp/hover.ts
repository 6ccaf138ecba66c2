import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { parseCertificate } from '../model/certificates';
import type { BoundAttribute } from '../model/bind';
import { humanKeyOf, labelOf } from '../workspace/index';
import { spanToRange } from './convert';
import { attributeMarkdown } from './docs';
import { attributeKeyAt, referenceAt, resourceAt, scalarValueAt } from './nodes';
import type { ServerState } from './state';

function qualifiedName(a: BoundAttribute): string {
  const own = a.canonicalName ?? a.entry.key;
  return a.parent?.canonicalName && !a.parent.extension
    ? `${a.parent.canonicalName}.${own}`
    : a.parent?.extension && a.parent.canonicalName === a.parent.extension
      ? `${a.parent.extension}:${own}`
      : own;
}

export function hover(state: ServerState, params: HoverParams): Hover | null {
  const uri = params.textDocument.uri;
  const analysis = state.analysis(uri);
  if (!analysis) return null;
  const lines = analysis.manifest.lines;
  const offset = lines.offsetAt(params.position);
  const r = resourceAt(analysis, offset);
  if (!r) return null;

  const key = attributeKeyAt(r, offset);
  if (key) {
    if (!key.def) return null;
    return { contents: { kind: MarkupKind.Markdown, value: attributeMarkdown(key.def, qualifiedName(key)) }, range: spanToRange(lines, key.entry.keySpan) };
  }

  const ref = referenceAt(r, offset);
  if (ref) {
    const targets = state.index.resolve(ref.ref);
    const onServer = serverLine(state, ref.ref.kind, ref.ref.key);
    const value =
      targets.length === 0
        ? (onServer ?? `\`${ref.node.value}\` does not match any ${ref.ref.kind} declared in the workspace (it may exist on the server).`)
        : targets
            .map((t) => {
              const file = t.uri.split('/').pop() ?? t.uri;
              const k = humanKeyOf(t);
              const ext = typeof t.normalized.externalId === 'string' ? `, externalId \`${t.normalized.externalId}\`` : '';
              return `\`${ref.node.value}\` → **${labelOf(t)}**${k ? ` (${k.attribute} \`${k.value}\`${ext})` : ''} in \`${file}\``;
            })
            .join('\n\n') +
          (targets.length > 1 ? '\n\n⚠ The reference is ambiguous: several resources match.' : '') +
          (onServer ? `\n\n${onServer}` : '');
    return { contents: { kind: MarkupKind.Markdown, value }, range: spanToRange(lines, ref.node.span) };
  }

  const scalar = scalarValueAt(r, offset);
  if (
    scalar &&
    scalar.attribute.canonicalName === 'value' &&
    scalar.attribute.parent?.canonicalName === 'x509Certificates' &&
    typeof scalar.node.value === 'string'
  ) {
    const parsed = parseCertificate(scalar.node.value);
    const value = parsed.ok
      ? [
          '**X.509 certificate**',
          '',
          `| | |`,
          `|---|---|`,
          `| subject | ${oneLine(parsed.info.subject)} |`,
          `| subjectAltNames | ${parsed.info.subjectAltNames.join(', ') || '(none)'} |`,
          `| issuer | ${oneLine(parsed.info.issuer)} |`,
          `| valid from | ${parsed.info.validFrom.toISOString()} |`,
          `| valid to | ${parsed.info.validTo.toISOString()} |`,
          `| SHA-256 fingerprint | \`${parsed.info.fingerprint256}\` |`,
          `| serial number | \`${parsed.info.serialNumber}\` |`,
        ].join('\n')
      : `**Not a usable certificate**: ${parsed.reason}.`;
    return { contents: { kind: MarkupKind.Markdown, value }, range: spanToRange(lines, scalar.node.span) };
  }
  if (scalar?.attribute.def) {
    return {
      contents: { kind: MarkupKind.Markdown, value: attributeMarkdown(scalar.attribute.def, qualifiedName(scalar.attribute)) },
      range: spanToRange(lines, scalar.node.span),
    };
  }
  return null;
}

function oneLine(dn: string): string {
  return dn.split('\n').join(', ').replace(/\|/g, '\\|');
}

/** What the connected server's directory (listed on save or on request) says of a user:/group: reference. */
function serverLine(state: ServerState, kind: string, key: string): string | undefined {
  const server = state.serverDirectory;
  const names = kind === 'user' ? server?.users : kind === 'group' ? server?.groups : undefined;
  if (!server || !names) return undefined;
  const wanted = key.toLowerCase();
  return names.some((n) => n.toLowerCase() === wanted)
    ? `\`${kind}:${key}\` is a ${kind} on \`${server.host}\`.`
    : `\`${kind}:${key}\` is not a ${kind} on \`${server.host}\` (as listed at the last save).`;
}
