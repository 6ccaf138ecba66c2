import type { ResourceRule } from '../types';

export const readOnlyAttribute: ResourceRule = {
  code: 'read-only-attribute',
  scope: 'resource',
  defaultSeverity: 'warning',
  title: '`id`, `meta`, `groups`, `applications`, `lastAccessed`...: the server ignores them',
  docs: '`id`, `meta`, `groups`, `applications`, `lastAccessed` and other read-only attributes are set by the server and ignored when sent. Keeping them in a manifest suggests a control the file does not have. The quick fix removes the attribute.',
  example: { bad: 'id: 2819c223\nname: bot', good: 'name: bot' },
  fixes: ['remove-read-only'],
  check(bound, report) {
    for (const a of bound.attributes) {
      if (a.def?.mutability !== 'readOnly') continue;
      // Inside an attribute that is read-only as a whole, report the attribute once, not each part.
      if (a.parent?.def?.mutability === 'readOnly') continue;
      const name = a.parent?.canonicalName ? `${a.parent.canonicalName}.${a.canonicalName}` : a.canonicalName;
      report(a.entry.keySpan, `"${name}" is read-only: the server sets it and ignores what a client sends. Remove it from the manifest.`, {
        attribute: name,
        pointer: a.pointer,
      });
    }
  },
};
