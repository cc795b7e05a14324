/**
 * Page tokens in MLflow's own format (base64 of `{"offset": N}`), so a token from the local store
 * reads like a server's and a bad one fails with MLflow's message.
 */
import { InvalidFilterError } from "./errors";

/** The token for the page starting at `offset`. */
export function createPageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }).replace(":", ": "), "utf8").toString("base64");
}

/** The offset a token stands for (0 for no token), or {@link InvalidFilterError}. */
export function parsePageToken(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) throw new InvalidFilterError("Invalid page token, could not base64-decode");
  const decoded = Buffer.from(token, "base64").toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw new InvalidFilterError(`Invalid page token, decoded value=b'${decoded}'`);
  }
  const offset = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)["offset"] : undefined;
  if (offset === undefined || offset === null || offset === 0 || offset === "") throw new InvalidFilterError(`Invalid page token, parsed value=${decoded}`);
  const n = Number(offset);
  if (!Number.isInteger(n) || n < 0) throw new InvalidFilterError(`Invalid page token, not stringable ${String(offset)}`);
  return n;
}
