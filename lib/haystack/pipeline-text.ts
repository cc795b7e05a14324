/**
 * `console.log(pipeline)`: the lines of Haystack's `PipelineBase.__repr__` — metadata, components
 * with their classes, connections with the sender socket's type — so a pipeline reads the same in
 * both languages.
 */
import { inspect } from "node:util";
import type { Edge, PipelineGraph } from "./graph";

function shownValue(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 });
}

/** Edges grouped by sender in component order, then by receiver in first-connection order, as networkx lists them. */
function edgesInGraphOrder(graph: PipelineGraph): Edge[] {
  const out: Edge[] = [];
  for (const node of graph.nodes.values()) {
    const byReceiver = new Map<string, Edge[]>();
    for (const edge of node.outEdges) byReceiver.set(edge.receiver, [...(byReceiver.get(edge.receiver) ?? []), edge]);
    for (const edges of byReceiver.values()) out.push(...edges);
  }
  return out;
}

/**
 * The pipeline as Haystack prints it, first line `title` (Python prints the object's address):
 * `🧱 Metadata` (when there is any), `🚅 Components` (`name: ClassName`), `🛤️ Connections`
 * (`sender.socket -> receiver.socket (type)`).
 */
export function pipelineText(title: string, metadata: Readonly<Record<string, unknown>>, graph: PipelineGraph): string {
  const lines = [title];
  const keys = Object.keys(metadata);
  if (keys.length > 0) {
    lines.push("🧱 Metadata");
    for (const key of keys) lines.push(`  - ${key}: ${shownValue(metadata[key])}`);
  }
  lines.push("🚅 Components");
  for (const node of graph.nodes.values()) lines.push(`  - ${node.name}: ${node.info.className}`);
  lines.push("🛤️ Connections");
  for (const edge of edgesInGraphOrder(graph)) {
    lines.push(`  - ${edge.sender}.${edge.senderSocket.name} -> ${edge.receiver}.${edge.receiverSocket.name} (${edge.senderSocket.type})`);
  }
  return lines.join("\n");
}
