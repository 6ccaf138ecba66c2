import type { LineIndex, Span } from './text';

/**
 * The manifest's own syntax tree: a small, library-independent view of YAML or JSON with the
 * source span of every key and value, so every rule can point at exactly what it means.
 */
export type ManifestNode = ScalarNode | MapNode | SeqNode;

export interface ScalarNode {
  kind: 'scalar';
  value: string | number | boolean | null;
  span: Span;
  /** How the scalar was written: quoting matters to quick fixes that rewrite it. */
  style: 'plain' | 'single' | 'double' | 'block';
}

export interface MapEntry {
  key: string;
  keySpan: Span;
  value: ManifestNode;
  /** From the key's start to the value's end. */
  span: Span;
}

export interface MapNode {
  kind: 'map';
  entries: MapEntry[];
  span: Span;
  flow: boolean;
}

export interface SeqNode {
  kind: 'seq';
  items: ManifestNode[];
  span: Span;
  flow: boolean;
}

export type ManifestFormat = 'yaml' | 'json';

/** One SCIM resource: a YAML document, or an object of a JSON file. */
export interface ManifestResource {
  /** Position in the file, from 0. */
  index: number;
  root: MapNode;
  /** The resource as plain JSON, authoring keys (x-scim-agents-*) included. */
  value: Record<string, unknown>;
  /** Profile chosen in the file (comment or key), if any. */
  declaredProfile?: string;
}

export interface SyntaxProblem {
  message: string;
  span: Span;
}

export interface ParsedManifest {
  uri: string;
  text: string;
  format: ManifestFormat;
  lines: LineIndex;
  resources: ManifestResource[];
  syntaxErrors: SyntaxProblem[];
  /** Zero-based line → codes suppressed on it (empty set: every code). */
  suppressions: ReadonlyMap<number, ReadonlySet<string>>;
  /** Profile named by a `# scim-agents-profile:` comment. */
  fileProfile?: string;
}

export function entryOf(map: MapNode, key: string): MapEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** Case-insensitive entry lookup, as SCIM attribute names are (RFC 7643 §2.1). */
export function entryOfCI(map: MapNode, key: string): MapEntry | undefined {
  const lower = key.toLowerCase();
  return map.entries.find((e) => e.key.toLowerCase() === lower);
}
