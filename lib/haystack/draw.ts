/**
 * Mermaid text for a pipeline, in the format of Haystack's `_to_mermaid_text` (render it with any
 * Mermaid viewer; nothing is sent over the network).
 */
import type { ComponentNode, PipelineGraph } from "./graph";

function escape(text: string): string {
  return text.replace(/"/g, "#quot;");
}

function state(node: ComponentNode): string {
  const optional = [...node.inputs.values()]
    .filter((s) => (!s.mandatory && s.senders.length === 0) || s.variadic !== undefined)
    .map((s) => `<li>${escape(s.name)} (${escape(s.type)})</li>`)
    .join("");
  const optionalList = optional.length > 0 ? `<br><br>Optional inputs:<ul style='text-align:left;'>${optional}</ul>` : "";
  return `${node.name}["<b>${escape(node.name)}</b><br><small><i>${escape(node.info.className)}${optionalList}</i></small>"]:::component`;
}

/**
 * The pipeline as Mermaid flowchart text: one node per component, one labelled edge per
 * connection (dotted for optional inputs), `i{*}` for inputs the run must supply and `o{*}` for
 * outputs the run returns.
 *
 * @example
 * console.log(mermaidText(graph)); // paste into https://mermaid.live
 */
export function mermaidText(graph: PipelineGraph, options: { init?: string } = {}): string {
  const states = new Map<string, string>();
  for (const name of graph.sortedNames()) states.set(name, state(graph.nodes.get(name)!));
  const lines: string[] = [];
  const drawn = new Set<string>();
  for (const edge of graph.edges) {
    const mandatory = edge.receiverSocket.mandatory;
    const label = `${escape(edge.senderSocket.name)} -> ${escape(edge.receiverSocket.name)}${mandatory ? "" : " (opt.)"}<br><small><i>${escape(edge.senderSocket.type)}</i></small>`;
    lines.push(`${states.get(edge.sender)!} ${mandatory ? "--" : "-."} "${label}" ${mandatory ? "-->" : ".->"} ${states.get(edge.receiver)!}`);
    drawn.add(edge.sender).add(edge.receiver);
  }
  for (const name of graph.sortedNames()) {
    for (const socket of graph.nodes.get(name)!.inputs.values()) {
      if (!socket.mandatory || socket.senders.length > 0) continue;
      lines.push(`i{&ast;}--"${escape(socket.name)}<br><small><i>${escape(socket.type)}</i></small>"--> ${states.get(name)!}`);
      drawn.add(name);
    }
  }
  for (const name of graph.sortedNames()) {
    for (const socket of graph.nodes.get(name)!.outputs.values()) {
      if (socket.receivers.length > 0) continue;
      lines.push(`${states.get(name)!}--"${escape(socket.name)}<br><small><i>${escape(socket.type)}</i></small>"--> o{&ast;}`);
      drawn.add(name);
    }
  }
  for (const [name, text] of states) if (!drawn.has(name)) lines.push(text);
  const init = options.init ?? "{'theme': 'neutral'}";
  return `%%{ init: ${init} }%%\n\ngraph TD;\n\n${lines.join("\n")}\n\nclassDef component text-align:center;\n`;
}
