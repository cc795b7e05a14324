/**
 * Lexicographic topological ranks of pipeline components, used to break ties between components
 * that wait for optional inputs (Haystack's `_tiebreak_waiting_components`).
 */
/**
 * Rank of each component in a lexicographic topological order; members of a cycle share the
 * rank of their strongly connected component (Haystack's condensation tie-break).
 */
export function topologicalRanks(names: readonly string[], edges: readonly { readonly sender: string; readonly receiver: string }[]): Map<string, number> {
  const successors = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const e of edges) successors.get(e.sender)?.add(e.receiver);
  const component = stronglyConnected(names, successors);
  const groups = new Map<number, string[]>();
  for (const name of names) {
    const id = component.get(name)!;
    groups.set(id, [...(groups.get(id) ?? []), name]);
  }
  const indegree = new Map<number, number>([...groups.keys()].map((id) => [id, 0]));
  const groupEdges = new Map<number, Set<number>>([...groups.keys()].map((id) => [id, new Set<number>()]));
  for (const [from, tos] of successors) {
    for (const to of tos) {
      const a = component.get(from)!;
      const b = component.get(to)!;
      if (a !== b && !groupEdges.get(a)!.has(b)) {
        groupEdges.get(a)!.add(b);
        indegree.set(b, indegree.get(b)! + 1);
      }
    }
  }
  const key = (id: number): string => [...groups.get(id)!].sort()[0]!;
  const ready = [...groups.keys()].filter((id) => indegree.get(id) === 0);
  const ranks = new Map<string, number>();
  let rank = 0;
  while (ready.length > 0) {
    ready.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const id = ready.shift()!;
    for (const name of groups.get(id)!) ranks.set(name, rank);
    rank++;
    for (const next of groupEdges.get(id)!) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  return ranks;
}

/** Tarjan's algorithm: component id per node. */
function stronglyConnected(names: readonly string[], successors: Map<string, Set<string>>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Map<string, number>();
  let counter = 0;
  let groupId = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of successors.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        result.set(w, groupId);
        if (w === v) break;
      }
      groupId++;
    }
  };
  for (const name of names) if (!index.has(name)) visit(name);
  return result;
}
