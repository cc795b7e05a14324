/**
 * Resolves `connect("a.out", "b.in")` to one socket pair, following Haystack's rules: named or
 * all sockets on each side, strict type matches before conversions, a unique pair wins, else the
 * unique pair with equal names, else an error that lists the sockets.
 */
import { describeValue } from "../internal/describe-value";
import { PipelineConnectError } from "./errors";
import type { ComponentNode, GraphInputSocket, GraphOutputSocket } from "./graph";
import { checkCompatibility, type ConversionStrategy } from "./type-compat";

/** The chosen pair and the conversion its values need, if any. */
export interface ResolvedConnection {
  sender: GraphOutputSocket;
  receiver: GraphInputSocket;
  conversion: ConversionStrategy | undefined;
}

/** Splits `"comp.socket"` on the first dot. */
export function parseConnectString(spec: string): { component: string; socket: string | undefined } {
  if (typeof spec !== "string" || spec.length === 0) {
    throw new PipelineConnectError(`Expected a connection end like "component" or "component.socket", got ${describeValue(spec)}.`);
  }
  const dot = spec.indexOf(".");
  return dot < 0 ? { component: spec, socket: undefined } : { component: spec.slice(0, dot), socket: spec.slice(dot + 1) };
}

function socketList(sockets: Iterable<GraphInputSocket | GraphOutputSocket>): string {
  const lines = [...sockets].map((s) => {
    const senders = "senders" in s ? (s.senders.length > 0 ? ` (sent by ${s.senders.join(", ")})` : " (available)") : "";
    return `  - ${s.name}: ${s.type}${senders}`;
  });
  return lines.length > 0 ? lines.join("\n") : "  (none)";
}

function status(sender: ComponentNode, receiver: ComponentNode): string {
  return `'${sender.name}' outputs:\n${socketList(sender.outputs.values())}\n'${receiver.name}' inputs:\n${socketList(receiver.inputs.values())}`;
}

/** Picks the socket pair for a connection or throws a {@link PipelineConnectError} that says why. */
export function resolveConnection(
  sender: ComponentNode,
  senderSocketName: string | undefined,
  receiver: ComponentNode,
  receiverSocketName: string | undefined,
  typeValidation: boolean,
): ResolvedConnection {
  if (sender.outputs.size === 0) {
    throw new PipelineConnectError(
      `'${sender.name}' (${sender.info.className}) has no output sockets: declare them with @component({ outputs: [...] }) or setOutputTypes().`,
      { component: sender.name },
    );
  }
  if (receiver.inputs.size === 0) {
    throw new PipelineConnectError(
      `'${receiver.name}' (${receiver.info.className}) has no input sockets: declare them with @component({ inputs: [...] }) or setInputTypes().`,
      { component: receiver.name },
    );
  }
  let senders = [...sender.outputs.values()];
  if (senderSocketName !== undefined) {
    const socket = sender.outputs.get(senderSocketName);
    if (socket === undefined) {
      throw new PipelineConnectError(`'${sender.name}' has no output socket '${senderSocketName}'. Available outputs:\n${socketList(senders)}`, {
        component: sender.name,
        socket: senderSocketName,
      });
    }
    senders = [socket];
  }
  let receivers = [...receiver.inputs.values()];
  if (receiverSocketName !== undefined) {
    const socket = receiver.inputs.get(receiverSocketName);
    if (socket === undefined) {
      throw new PipelineConnectError(`'${receiver.name}' has no input socket '${receiverSocketName}'. Available inputs:\n${socketList(receivers)}`, {
        component: receiver.name,
        socket: receiverSocketName,
      });
    }
    receivers = [socket];
  }

  const strictPairs: ResolvedConnection[] = [];
  const converted: ResolvedConnection[] = [];
  for (const s of senders) {
    for (const r of receivers) {
      const compat = typeValidation ? checkCompatibility(s.type, r.type) : ({ kind: "strict" } as const);
      if (compat.kind === "strict") strictPairs.push({ sender: s, receiver: r, conversion: undefined });
      else if (compat.kind === "convert") converted.push({ sender: s, receiver: r, conversion: compat.strategy });
    }
  }
  const candidates = strictPairs.length > 0 ? strictPairs : converted;
  const where = `'${sender.name}${senderSocketName === undefined ? "" : `.${senderSocketName}`}' -> '${receiver.name}${receiverSocketName === undefined ? "" : `.${receiverSocketName}`}'`;
  if (candidates.length === 0) {
    const why =
      senders.length === 1 && receivers.length === 1
        ? `'${sender.name}.${senders[0]!.name}' is ${senders[0]!.type} but '${receiver.name}.${receivers[0]!.name}' expects ${receivers[0]!.type}`
        : "no output type matches an input type";
    throw new PipelineConnectError(
      `Cannot connect ${where}: ${why}. Declare compatible socket types, or create the pipeline with { connectionTypeValidation: false }.\n${status(sender, receiver)}`,
      { component: receiver.name, ...(receiverSocketName === undefined ? {} : { socket: receiverSocketName }) },
    );
  }
  if (candidates.length === 1) return candidates[0]!;
  const sameName = candidates.filter((c) => c.sender.name === c.receiver.name);
  if (sameName.length === 1) return sameName[0]!;
  const options = candidates.map((c) => `'${sender.name}.${c.sender.name}' -> '${receiver.name}.${c.receiver.name}'`).join(", ");
  throw new PipelineConnectError(
    `Cannot connect ${where}: more than one connection is possible (${options}). Name the sockets, e.g. connect("${sender.name}.${candidates[0]!.sender.name}", "${receiver.name}.${candidates[0]!.receiver.name}").`,
    { component: receiver.name },
  );
}
