import type { Span } from '../../manifest/text';
import type { Workspace } from '../../workspace/index';
import type { ResourceRecord } from '../../workspace/records';
import { parseReference } from '../../workspace/references';
import type { WorkspaceRule } from '../types';

/** A loop's message names at most this many of its members, then says how many more there are. */
export const MAX_NAMED_IN_CYCLE = 5;

type ParentLink = { parent: ResourceRecord; span: Span };

/**
 * One finding per loop, on its member that comes first in the workspace (by file uri, then position),
 * with a message of bounded length: a loop of thousands of agents is one problem to fix, not
 * thousands of findings each listing every member. A scoped view (one file's check) reports the
 * loops whose first member it holds; the chains are followed through the whole workspace.
 */
export const parentCycle: WorkspaceRule = {
  code: 'parent-cycle',
  scope: 'workspace',
  defaultSeverity: 'error',
  title: 'an agent hierarchy that loops',
  docs: 'An agent hierarchy that loops (a is the parent of b, b the parent of a). A server cannot create it and no agent in the loop has a root.',
  example: { bad: '# a → b → a', good: '# a → b' },
  fixes: [],
  check(workspace, report) {
    const agents = workspace.ofType('Agent');
    let inView: Set<ResourceRecord> | undefined;
    const links = new Map<ResourceRecord, ParentLink | undefined>();
    const linkOf = (agent: ResourceRecord): ParentLink | undefined => {
      if (!links.has(agent)) links.set(agent, parentLink(workspace, agent));
      return links.get(agent);
    };
    // Each agent has at most one parent: walk each chain once, marking where a walk passed.
    // Meeting a mark of the current walk closes a loop; meeting an older walk's mark does not.
    const walkOf = new Map<ResourceRecord, number>();
    agents.forEach((start, walk) => {
      // An agent without a parent ends every chain that reaches it: no walk starts there (most
      // agents, and no mark or link of theirs is kept).
      if (!start.references.some((x) => x.attribute === 'parent')) return;
      const path: ResourceRecord[] = [];
      let current: ResourceRecord | undefined = start;
      while (current && !walkOf.has(current)) {
        walkOf.set(current, walk);
        path.push(current);
        current = linkOf(current)?.parent;
      }
      if (!current || walkOf.get(current) !== walk) return;
      const loop = path.slice(path.indexOf(current));
      const first = loop.reduce((a, b) => (before(a, b) ? a : b));
      if (!(inView ??= new Set(agents)).has(first)) return;
      const at = loop.indexOf(first);
      const members = [...loop.slice(at), ...loop.slice(0, at)];
      const named = members.slice(0, MAX_NAMED_IN_CYCLE).map((r) => r.label);
      const rest = members.length - named.length;
      const names = rest > 0 ? `${named.join(' → ')} → … and ${rest} more → ${named[0]}` : [...named, named[0]].join(' → ');
      report(first.uri, linkOf(first)!.span, `This parent makes a loop of ${members.length} agents: ${names}.`, {
        cycle: named,
        length: members.length,
      });
    });
  },
};

function parentLink(workspace: Workspace, agent: ResourceRecord): ParentLink | undefined {
  if (agent.type !== 'Agent') return undefined;
  // `parent` is single-valued: its first item is the one.
  const v = agent.references.find((x) => x.attribute === 'parent');
  const ref = parseReference(v?.value);
  if (!v?.span || !ref || ref.kind !== 'agent') return undefined;
  const parent = workspace.resolve(ref)[0];
  return parent ? { parent, span: v.span } : undefined;
}

/** Whether `a` comes before `b` by file, then by position in the file. */
function before(a: ResourceRecord, b: ResourceRecord): boolean {
  return a.uri < b.uri || (a.uri === b.uri && a.index <= b.index);
}
