import type { Span } from '../manifest/text';
import type { BoundResource } from '../model/bind';
import { attr } from '../model/values';
import { humanKeyOf } from '../workspace/index';

/**
 * Where a problem with the resource as a whole is shown: the key that names it (`name`,
 * `userName`...), else `schemas`, else its first key. Never the whole document.
 */
export function resourceAnchor(bound: BoundResource): Span {
  const key = humanKeyOf(bound);
  const named = key ? attr(bound, key.attribute) : undefined;
  if (named) return named.entry.keySpan;
  if (bound.schemasEntry) return bound.schemasEntry.keySpan;
  return bound.resource.root.entries[0]?.keySpan ?? bound.resource.root.span;
}
