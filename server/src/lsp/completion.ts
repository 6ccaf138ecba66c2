import { CompletionItemKind, InsertTextMode, MarkupKind, type CompletionItem, type CompletionList, type CompletionParams } from 'vscode-languageserver';
import type { BoundResource } from '../model/bind';
import { getProfile, isProfileId, profileFromAttributes, resourceTypeForSchemas, canonicalUrn, DEFAULT_PROFILE_ID, schemaUrnsOf } from '../schema/profiles';
import type { AttributeDefinition, Profile, ResourceTypeDefinition } from '../schema/types';
import { attributesOf } from '../schema/attributes';
import { humanKeyOf, labelOf } from '../workspace/index';
import { RESOURCE_TYPE_OF, slotFor } from '../workspace/references';
import { spanToRange } from './convert';
import { cursorContext, type CursorContext } from './cursor';
import { attributeDetail, attributeMarkdown, definitionsAt } from './docs';
import type { ServerState } from './state';

interface Target {
  profile: Profile;
  resourceType?: ResourceTypeDefinition;
  bound?: BoundResource;
}

const URN_IN_TEXT = /urn:ietf:params:scim:schemas:[A-Za-z0-9:._-]+/gi;

/** The resource type and profile at the cursor: from the parsed resource, else from the text around it. */
function targetAt(state: ServerState, uri: string, offset: number, ctx: CursorContext, text: string): Target {
  const analysis = state.index.get(uri);
  const bound = analysis?.resources.find((r) => r.resource.root.span.start <= offset && offset <= r.resource.root.span.end);
  if (bound) return { profile: bound.profile, ...(bound.resourceType ? { resourceType: bound.resourceType } : {}), bound };
  const section = text.slice(ctx.section.start, ctx.section.end);
  const declared = /x-scim-agents-profile["']?\s*:\s*["']?([A-Za-z0-9._-]+)/.exec(section)?.[1] ?? analysis?.manifest.fileProfile;
  const setting = state.settings.profile;
  // Keys by line with [ \t]*, not \s*: under /m, \s* runs over the blank lines after every line start (quadratic).
  const id = isProfileId(declared)
    ? declared
    : setting !== 'auto' && setting !== 'server'
      ? setting
      : (profileFromAttributes([...section.matchAll(/^[ \t]*["']?([A-Za-z][A-Za-z0-9]*)["']?[ \t]*:/gm)].map((m) => m[1]!)) ?? DEFAULT_PROFILE_ID);
  const served = state.index.serverProfile;
  const wantsServer = declared === 'server' || (!isProfileId(declared) && setting === 'server');
  const profile = wantsServer && 'profile' in served ? served.profile : getProfile(id);
  const urns = [...section.matchAll(URN_IN_TEXT)].map((m) => canonicalUrn(m[0])).filter((u): u is string => Boolean(u));
  const resourceType = resourceTypeForSchemas(profile, urns);
  return { profile, ...(resourceType ? { resourceType } : {}) };
}

export function completion(state: ServerState, params: CompletionParams): CompletionList {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  const analysis = state.analysis(params.textDocument.uri);
  if (!analysis) return empty;
  const { lines, text, format } = analysis.manifest;
  const offset = lines.offsetAt(params.position);
  const ctx = cursorContext(text, lines, format, offset);
  if (!ctx) return empty;
  const target = targetAt(state, params.textDocument.uri, offset, ctx, text);
  const range = spanToRange(lines, ctx.replace);
  const json = format === 'json';
  const items: CompletionItem[] = [];
  const followedByColon = /^[ \t]*:/.test(text.slice(ctx.replace.end));

  const container = definitionsAt({ profile: target.profile, ...(target.resourceType ? { resourceType: target.resourceType } : {}) }, ctx.path);
  const valueOfList =
    ctx.position === 'key' && ctx.inItem && ctx.path.length > 0 && (isSchemasPath(ctx.path) || (container?.def && container.def.type !== 'complex'));

  if (ctx.position === 'key' && !valueOfList) {
    const quoteKey = (name: string) => (json || ctx.quote ? `${ctx.quote ?? '"'}${name}${ctx.quote ?? '"'}` : name);
    const add = (name: string, def: AttributeDefinition | undefined, sort: string, documentation?: string) => {
      const newText = followedByColon ? quoteKey(name) : keyInsertText(name, def, ctx, json);
      items.push({
        label: name,
        kind: def?.type === 'complex' ? CompletionItemKind.Module : CompletionItemKind.Property,
        ...(def ? { detail: attributeDetail(def) } : {}),
        ...(documentation ? { documentation: { kind: MarkupKind.Markdown, value: documentation } } : {}),
        sortText: `${sort}${name.toLowerCase()}`,
        filterText: ctx.quote ? `${ctx.quote}${name}` : name,
        textEdit: { range, newText },
        insertTextMode: InsertTextMode.asIs,
      });
    };
    if (ctx.path.length === 0 && !ctx.siblings.has('schemas')) {
      add('schemas', undefined, '0', "The schema URNs of this resource (RFC 7643 §3): its resource type's core schema and any extensions.");
    }
    if (container) {
      const qualifier = container.names.length ? container.names.join('.') + '.' : '';
      for (const def of container.defs) {
        if (def.mutability === 'readOnly' || ctx.siblings.has(def.name.toLowerCase())) continue;
        add(def.name, def, def.required ? '1' : '2', attributeMarkdown(def, qualifier + def.name));
      }
      if (ctx.path.length === 0 && target.resourceType) {
        for (const ext of target.resourceType.schemaExtensions ?? []) {
          if (ctx.siblings.has(ext.schema.toLowerCase())) continue;
          add(ext.schema, undefined, '3', `Attributes of the extension schema ${ext.schema}.`);
        }
        // RFC 7644 §3.10 notation (`urn:…:Agent:displayName`), offered once the user types a URN.
        if (ctx.partial.toLowerCase().startsWith('urn:')) {
          for (const urn of schemaUrnsOf(target.resourceType)) {
            for (const def of attributesOf(target.profile, urn) ?? []) {
              if (def.mutability !== 'readOnly') add(`${urn}:${def.name}`, def, '4', attributeMarkdown(def, `${urn}:${def.name}`));
            }
          }
        }
      }
    }
    return { isIncomplete: false, items };
  }

  // Values.
  const quoteValue = (v: string, isString: boolean): string => {
    if (ctx.quote) return `${ctx.quote}${v}${ctx.quote}`;
    if (json && isString) return JSON.stringify(v);
    if (!json && isString && needsYamlQuotes(v, ctx.style === 'flow')) return JSON.stringify(v);
    return v;
  };
  const pushValue = (label: string, kind: CompletionItemKind, isString: boolean, sort: string, documentation?: string, detail?: string) => {
    items.push({
      label,
      kind,
      ...(detail ? { detail } : {}),
      ...(documentation ? { documentation: { kind: MarkupKind.Markdown, value: documentation } } : {}),
      sortText: sort + label,
      filterText: ctx.quote ? `${ctx.quote}${label}` : label,
      textEdit: { range, newText: quoteValue(label, isString) },
    });
  };

  if (isSchemasPath(ctx.path)) {
    const present = new Set(target.bound?.declaredSchemas.map((s) => s.canonical ?? s.written) ?? []);
    const wrap = !ctx.inItem && !ctx.quote;
    for (const rt of target.profile.resourceTypes) {
      for (const urn of schemaUrnsOf(rt)) {
        if (present.has(urn) && !text.slice(ctx.replace.start, ctx.replace.end).includes(urn)) continue;
        const isBase = urn === rt.schema;
        items.push({
          label: urn,
          kind: CompletionItemKind.EnumMember,
          detail: isBase ? `${rt.name} (${target.profile.id})` : `extension of ${rt.name}`,
          sortText: (isBase ? '0' : '1') + urn,
          filterText: ctx.quote ? `${ctx.quote}${urn}` : urn,
          textEdit: { range, newText: wrap ? (json ? `[${JSON.stringify(urn)}]` : `[${urn}]`) : quoteValue(urn, true) },
        });
      }
    }
    return { isIncomplete: false, items: dedupe(items) };
  }

  const def = container?.def;
  if (def?.type === 'boolean') {
    pushValue('true', CompletionItemKind.Value, false, '0');
    pushValue('false', CompletionItemKind.Value, false, '1');
  }
  for (const v of def?.canonicalValues ?? [])
    pushValue(v, CompletionItemKind.EnumMember, true, '0', undefined, `canonical value of ${container!.names.join('.')}`);

  // References: owners / parent / agents / members values.
  const slot =
    ctx.path.length === 2 && ctx.path[1]!.toLowerCase() === 'value' ? slotFor(target.resourceType?.name, container?.names[0] ?? ctx.path[0]!) : undefined;
  if (slot) {
    for (const kind of slot.accepts) {
      for (const r of state.index.ofType(RESOURCE_TYPE_OF[kind]!)) {
        if (target.bound && r === target.bound) continue;
        const key = humanKeyOf(r)?.value ?? (typeof r.normalized.externalId === 'string' ? r.normalized.externalId : undefined);
        if (!key) continue;
        const file = r.uri.split('/').pop() ?? r.uri;
        pushValue(`${kind}:${key}`, CompletionItemKind.Reference, true, '0', `${labelOf(r)}, declared in \`${file}\``, labelOf(r));
      }
      // The connected server's users and groups (listed on save or on request, never while typing).
      const server = state.serverDirectory;
      const names = kind === 'user' ? server?.users : kind === 'group' ? server?.groups : undefined;
      for (const name of names ?? [])
        pushValue(`${kind}:${name}`, CompletionItemKind.Reference, true, '1', `A ${kind} on \`${server!.host}\``, `on ${server!.host}`);
    }
  }
  return { isIncomplete: false, items: dedupe(items) };
}

function isSchemasPath(path: readonly string[]): boolean {
  return path.length === 1 && path[0]!.toLowerCase() === 'schemas';
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.label) ? false : (seen.add(i.label), true)));
}

function needsYamlQuotes(v: string, flow: boolean): boolean {
  if (v === '' || /^[\s&*!|>'"%@`#?:,[\]{}-]/.test(v) || /\s$/.test(v) || /: |\s#/.test(v)) return true;
  if (flow && /[,[\]{}]/.test(v)) return true;
  return /^(true|false|null|~|yes|no|on|off|[-+]?\d[\d._]*(e[-+]?\d+)?)$/i.test(v);
}

/** What accepting a key inserts: the key and, in block YAML, the start of its value's structure. */
function keyInsertText(name: string, def: AttributeDefinition | undefined, ctx: CursorContext, json: boolean): string {
  if (json) return `"${name}": `;
  if (ctx.style === 'flow') return `${ctx.quote ?? ''}${name}${ctx.quote ?? ''}: `;
  const child = ' '.repeat(ctx.keyColumn + 2);
  const isList = name === 'schemas' || def?.multiValued;
  if (def?.type === 'complex') {
    const first = def.subAttributes?.some((s) => s.name === 'value') ? 'value: ' : '';
    return isList ? `${name}:\n${child}- ${first}` : `${name}:\n${child}${first}`;
  }
  if (isList) return `${name}:\n${child}- `;
  return `${name}: `;
}
