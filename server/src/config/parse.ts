/**
 * Reads and checks a `.scim-agents.yaml`: YAML syntax, then its JSON Schema (shipped as
 * schemas/config.schema.json and contributed to the editor for completion and hover), then what a
 * schema cannot say (unknown rule codes, a baseline path outside the folder). Every problem has the
 * span of the key or value it is about. What is wrong is left out and the rest applies, so a bad
 * setting never stops linting; the problems are reported as findings of the file itself.
 */
import type { ErrorObject } from 'ajv/dist/2020';
import { isMap, isPair, isScalar, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { configValidator } from 'scim-agents:validators';
import { compileWildcard } from './wildcard';
import type { ConfigProblem, ProjectConfig, Span } from './types';
import { globProblem } from '../util/glob';

/** Configuration files are small; anything larger is refused rather than parsed. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** Compiled when we build (schema/precompile.ts), from schemas/config.schema.json. */
function validate(value: unknown): ErrorObject[] {
  return configValidator(value) ? [] : [...(configValidator.errors ?? [])];
}

export interface ParseConfigOptions {
  /** Rule codes the engine knows (rule and policy codes); others get a warning. */
  knownCodes?: readonly string[];
}

export function parseConfig(text: string, options: ParseConfigOptions = {}): { config: ProjectConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const whole = { start: 0, end: Math.min(text.length, 1) };
  if (text.length > MAX_CONFIG_BYTES) {
    return {
      config: {},
      problems: [{ severity: 'error', message: `The configuration file is larger than ${MAX_CONFIG_BYTES / 1024} KiB; it is ignored.`, span: whole }],
    };
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors)
    problems.push({ severity: 'error', message: `YAML: ${e.message.split('\n')[0]}`, span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) } });
  if (doc.errors.length) return { config: {}, problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { config: {}, problems: [{ severity: 'error', message: `YAML: ${(e as Error).message}`, span: whole }] };
  }
  if (value === null || value === undefined) return { config: {}, problems };
  const errors = validate(value);
  const bad: string[] = [];
  for (const e of errors) {
    // A oneOf's branches each complain; the oneOf's own error says it once.
    if (e.schemaPath.includes('/oneOf/')) continue;
    const path = pointerSegments(e.instancePath);
    const key =
      e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.keyword === 'propertyNames' ? String(e.params.propertyName) : undefined;
    const span = key !== undefined ? keySpan(doc, path, key) : valueSpan(doc, path);
    problems.push({ severity: 'error', message: messageOf(e, path, key), span });
    bad.push(key !== undefined ? `${e.instancePath}/${key}` : e.instancePath);
  }
  if (!isPlainObject(value)) return { config: {}, problems };
  const config = keepValid(value, bad) as ProjectConfig;
  semanticChecks(doc, config, options, problems);
  return { config, problems: dedupe(problems) };
}

function semanticChecks(doc: Document, config: ProjectConfig, options: ParseConfigOptions, problems: ConfigProblem[]): void {
  const known = options.knownCodes ? new Set(options.knownCodes) : undefined;
  const checkRules = (rules: Record<string, unknown> | undefined, at: (string | number)[]) => {
    if (!rules || !known) return;
    for (const code of Object.keys(rules)) {
      if (!known.has(code)) problems.push({ severity: 'warning', message: `Unknown rule code "${code}"; it has no effect.`, span: keySpan(doc, at, code) });
    }
  };
  checkRules(config.rules, ['rules']);
  config.overrides?.forEach((o, i) => checkRules(o.rules, ['overrides', i, 'rules']));
  config.overrides?.forEach((o, i) => {
    const globs = typeof o.files === 'string' ? [o.files] : (o.files ?? []);
    globs.forEach((glob, j) => {
      const problem = typeof glob === 'string' ? globProblem(glob) : undefined;
      if (problem)
        problems.push({
          severity: 'error',
          message: `The glob "${glob.slice(0, 80)}" is not used: ${problem} (globs are kept to shapes that match in linear time).`,
          span: valueSpan(doc, typeof o.files === 'string' ? ['overrides', i, 'files'] : ['overrides', i, 'files', j]),
        });
    });
  });
  const checkPattern = (p: string | undefined, at: (string | number)[]) => {
    if (p === undefined) return;
    try {
      compileWildcard(p);
    } catch (e) {
      problems.push({ severity: 'error', message: (e as Error).message, span: valueSpan(doc, at) });
    }
  };
  checkPattern(config.policies?.subjectPattern, ['policies', 'subjectPattern']);
  if (config.baseline !== undefined && !isInsideFolder(config.baseline)) {
    problems.push({
      severity: 'error',
      message: 'baseline must be a relative path inside this file\'s folder (no absolute path, no "..").',
      span: valueSpan(doc, ['baseline']),
    });
    delete config.baseline;
  }
}

/** A relative POSIX or Windows path that stays inside its folder. */
export function isInsideFolder(p: string): boolean {
  if (/^([a-zA-Z]:)?[\\/]/.test(p) || p.includes('\0')) return false;
  return !p.split(/[\\/]/).includes('..');
}

/** The value without the parts ajv complained about (by JSON pointer), so the rest still applies. */
function keepValid(value: unknown, bad: readonly string[], pointer = ''): unknown {
  if (!isPlainObject(value) && !Array.isArray(value)) return value;
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => {
      const p = `${pointer}/${i}`;
      return bad.includes(p) ? [] : [keepValid(v, bad, p)];
    });
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = `${pointer}/${escapePointer(k)}`;
    if (bad.includes(p)) continue;
    // A leaf under this key is bad: keep the key only when the bad part can be cut out below it.
    if (bad.some((b) => b.startsWith(`${p}/`)) && !isPlainObject(v) && !Array.isArray(v)) continue;
    out[k] = keepValid(v, bad, p);
  }
  return out;
}

function messageOf(e: ErrorObject, path: (string | number)[], key: string | undefined): string {
  const where = path.length ? path.join('.') : 'the file';
  switch (e.keyword) {
    case 'additionalProperties':
      return `Unknown key "${key}" in ${where}.`;
    case 'propertyNames':
      return `"${key}" is not allowed as a key of ${where}.`;
    case 'enum':
      return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'oneOf':
      return `${where} must be a glob or a list of globs.`;
    case 'required':
      return `${where} needs "${String(e.params.missingProperty)}".`;
    default:
      return `${where} ${e.message ?? 'is invalid'}.`;
  }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      const k = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(k) ? Number(k) : k;
    });
}

function escapePointer(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function rangeSpan(node: YamlNode | undefined | null): Span | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? { start: range[0], end: Math.max(range[1], range[0] + 1) } : undefined;
}

function valueSpan(doc: Document, path: (string | number)[]): Span {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const span = rangeSpan(node as YamlNode);
    if (span) return span;
  }
  return { start: 0, end: 1 };
}

function keySpan(doc: Document, path: (string | number)[], key: string): Span {
  const holder = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(holder)) {
    for (const pair of holder.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) {
        const span = rangeSpan(pair.key as YamlNode);
        if (span) return span;
      }
    }
  }
  return valueSpan(doc, path);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.span.start}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
