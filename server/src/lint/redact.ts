/**
 * Redaction of secret material in everything the engine says about a workspace: every finding
 * message (linter.ts) and every inventory field passes through a redactor built from the
 * secrets secret-inline finds, so a rule that quotes a value (canonical-value, type-mismatch,
 * duplicate-identifier…) can never print what secret-inline masks.
 */
import type { BoundResource } from '../model/bind';
import { redact, secretsOf } from '../rules/analysis/secrets';
import { appendTo } from '../util/maps';

/** Shorter values are not looked for: masking them would mask ordinary words. */
const MIN_SECRET = 4;
/** Secrets are looked up by their last KEY characters (the random end of a token). */
const KEY = 8;
/**
 * A rule may quote a value cut short (`"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2Vu..."`): text that
 * starts like a secret (its first PREFIX characters; for PEM, of the body after the BEGIN line) is
 * masked up to the closing quote, or the secret's length.
 */
const PREFIX = 16;
/** More secrets than this sharing their last characters: the message is withheld rather than searched. */
const MAX_BUCKET = 64;
const WITHHELD = '(message withheld: it may contain secret material)';

/** Secret values per binding, kept while the binding lives (as the linter's finding cache). */
const valuesOf = new WeakMap<BoundResource['top'], readonly string[]>();

export function secretValues(r: BoundResource): readonly string[] {
  let found = valuesOf.get(r.top);
  if (!found) {
    found = secretsOf(r).flatMap((h) => [h.value, h.value.trim()]);
    valuesOf.set(r.top, found);
  }
  return found;
}

export class Redactor {
  /** Secrets of KEY characters or more, by their last KEY characters, longest first. */
  private readonly bySuffix = new Map<string, string[]>();
  /** Shorter secrets, by value. */
  private readonly short = new Set<string>();
  private shortLengths: number[] = [];
  /** First PREFIX characters of long secrets -> the longest such secret's length. */
  private readonly prefixes = new Map<string, number>();

  constructor(secrets: Iterable<string>) {
    const lengths = new Set<number>();
    for (const s of new Set(secrets)) {
      if (s.length < MIN_SECRET) continue;
      const body = s.startsWith('-----BEGIN') ? s.slice(s.indexOf('\n') + 1).trimStart() : s;
      if (body.length > PREFIX * 2) {
        const p = body.slice(0, PREFIX);
        this.prefixes.set(p, Math.max(this.prefixes.get(p) ?? 0, body.length));
      }
      if (s.length < KEY) {
        this.short.add(s);
        lengths.add(s.length);
        continue;
      }
      const k = s.slice(-KEY);
      appendTo(this.bySuffix, k, s);
    }
    for (const bucket of this.bySuffix.values()) bucket.sort((a, b) => b.length - a.length);
    this.shortLengths = [...lengths].sort((a, b) => b - a);
  }

  get empty(): boolean {
    return this.bySuffix.size === 0 && this.short.size === 0 && this.prefixes.size === 0;
  }

  /**
   * The text with every secret (or a quoted beginning of one) replaced by its redacted form.
   * Linear in the text: each end position is looked up once per length class, buckets are
   * bounded, and the next quote is searched once per stretch.
   */
  apply(text: string): string {
    if (this.empty || text.length < MIN_SECRET) return text;
    const hits: { start: number; end: number }[] = [];
    let prefixStop = 0;
    let quote = -1; // the next '"' at or after `end`, found once per stretch (linear)
    for (let end = MIN_SECRET; end <= text.length; end++) {
      let secret: string | undefined;
      if (end >= KEY) {
        const bucket = this.bySuffix.get(text.slice(end - KEY, end));
        if (bucket) {
          if (bucket.length > MAX_BUCKET) return WITHHELD;
          secret = bucket.find((s) => s.length <= end && text.startsWith(s, end - s.length));
        }
      }
      for (let i = 0; !secret && i < this.shortLengths.length; i++) {
        const n = this.shortLengths[i]!;
        if (n <= end && this.short.has(text.slice(end - n, end))) secret = text.slice(end - n, end);
      }
      if (secret) hits.push({ start: end - secret.length, end });
      const start = end - PREFIX;
      const longest = start >= prefixStop ? this.prefixes.get(text.slice(start, end)) : undefined;
      if (longest !== undefined) {
        if (quote < end) {
          const q = text.indexOf('"', end);
          quote = q === -1 ? text.length : q;
        }
        prefixStop = Math.min(start + longest, quote);
        hits.push({ start, end: prefixStop });
      }
    }
    if (hits.length === 0) return text;
    // Overlapping matches are masked as one.
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    let out = '';
    let at = 0;
    for (let i = 0; i < hits.length;) {
      const first = hits[i]!;
      let end = first.end;
      let j = i + 1;
      for (; j < hits.length && hits[j]!.start < end; j++) end = Math.max(end, hits[j]!.end);
      out += text.slice(at, first.start) + redact(text.slice(first.start, end));
      at = end;
      i = j;
    }
    return out + text.slice(at);
  }

  /** Strings of a JSON-like value redacted, the value's shape kept. */
  applyDeep<T>(value: T): T {
    if (this.empty) return value;
    if (typeof value === 'string') return this.apply(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.applyDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.applyDeep(v)])) as T;
    }
    return value;
  }
}

/** A redactor for the secrets of these resources. */
export function redactorFor(resources: Iterable<BoundResource>): Redactor {
  const all: string[] = [];
  for (const r of resources) for (const s of secretValues(r)) all.push(s);
  return new Redactor(all);
}
