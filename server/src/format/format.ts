import { parseManifest } from '../manifest/parse';
import { MAX_MANIFEST_CHARS } from '../util/limits';
import type { ManifestFormat } from '../manifest/model';
import { applyKeyOrder, proposeKeyOrder } from './orderKeys';

export interface FormatOptions {
  /** Spaces per indentation level (YAML never indents with tabs). */
  indent?: number;
  /** Put each resource's attributes in the canonical order (schemas, externalId, name, …). */
  orderKeys?: boolean;
}

export type FormatResult = { text: string } | { error: string };

/**
 * Formats a manifest the way a reviewer expects one to look: indentation and spacing made
 * regular, comments, anchors, tags, block scalars, flow collections, quoting of escapes, `---`
 * documents and line endings kept. Prettier does the layout (it keeps all of that, and is
 * idempotent); our part is the canonical key order, which moves whole entries with the comments
 * written above them. A file that does not parse is not touched: the error is for the linter.
 */
export async function formatManifest(text: string, format: ManifestFormat, options: FormatOptions = {}): Promise<FormatResult> {
  if (text.length > MAX_MANIFEST_CHARS) return { error: `The file has ${text.length} characters; files over ${MAX_MANIFEST_CHARS} are not formatted.` };
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const uri = `untitled:format.agent.${format}`;
  const parsed = parseManifest(uri, body);
  if (parsed.syntaxErrors.length > 0) {
    const line = parsed.lines.positionAt(parsed.syntaxErrors[0]!.span.start).line + 1;
    return { error: `The file does not parse (line ${line}); fix the syntax error first.` };
  }
  let out: string;
  try {
    // Loaded on first use (its own file in the Node bundles, see ./prettier.ts): Prettier is most
    // of the code and the editor's start must not pay for it.
    const prettier = await import('./prettier');
    out = await prettier.format(body, {
      parser: format === 'json' ? 'json' : 'yaml',
      plugins: format === 'json' ? prettier.plugins.json : prettier.plugins.yaml,
      tabWidth: options.indent ?? 2,
      useTabs: false,
      proseWrap: 'preserve',
      printWidth: 100,
      endOfLine: 'auto',
    });
  } catch (e) {
    return { error: `The file could not be formatted: ${firstLine((e as Error).message)}` };
  }
  if (options.orderKeys) out = orderKeysSafely(uri, out);
  return { text: bom + out };
}

/**
 * Moving an entry can change what a resource means: an alias moved above its anchor no longer
 * resolves. Each proposal is checked on its own (anchors never cross a YAML document, and a
 * resource's entries stay inside its document): the entries' text, parsed alone before and after
 * the move, must give the same value, else that resource keeps the order it was written in.
 */
function orderKeysSafely(uri: string, text: string): string {
  const manifest = parseManifest(uri, text);
  const accepted = proposeKeyOrder(manifest).filter((p) => {
    // JSON entries need their braces to parse alone.
    const alone = (entries: string) => (uri.endsWith('.json') ? `{${entries}}` : entries);
    const before = parseManifest(uri, alone(text.slice(p.span.start, p.span.end)));
    const after = parseManifest(uri, alone(p.replacement));
    return (
      after.syntaxErrors.length === before.syntaxErrors.length &&
      after.resources.length === 1 &&
      before.resources.length === 1 &&
      canonical(after.resources[0]!.value) === canonical(before.resources[0]!.value)
    );
  });
  return applyKeyOrder(text, accepted);
}

/** JSON with keys sorted: the same attributes in any order give the same string. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
