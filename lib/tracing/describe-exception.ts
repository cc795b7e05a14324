/**
 * Reads what user code threw into the type, message and stack a span's `exception` event records,
 * without ever throwing itself (a getter on the thrown object may).
 */
import { sdkState } from "../internal/global-state";
import { toJsonSafe } from "./serialize";

/** Type, message and stack of anything thrown, read defensively. */
export function describeException(error: unknown): { type: string; message: string; stack: string } {
  try {
    if (error instanceof Error) {
      const name = error.constructor?.name && error.constructor.name !== "Error" ? error.constructor.name : error.name;
      const type = String(name);
      const message = String(error.message);
      return { type, message, stack: String(error.stack ?? `${type}: ${message}`) };
    }
    const message = typeof error === "string" ? error : JSON.stringify(toJsonSafe(error, sdkState().limits));
    return { type: typeof error === "object" && error !== null ? "Object" : typeof error, message, stack: message };
  } catch {
    return { type: "Unknown", message: "unreadable exception", stack: "" };
  }
}
