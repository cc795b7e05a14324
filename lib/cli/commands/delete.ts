/**
 * `traces delete <trace-id...>`: removes traces from the local store, with their sync
 * bookkeeping, so `traces sync` neither sends nor remembers them.
 */
import type { StoredFile } from "../../export/clients/local-store/location";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode } from "../cli-io";
import { deleteTraceFile } from "../local-store/delete";
import { findTraceFile, normaliseTraceId, shortIdHint } from "../trace-id-arg";
import { resolveSource } from "../store-source";

export interface DeleteOptions {
  readonly store?: string;
}

export async function deleteCommand(traceIds: readonly string[], options: DeleteOptions, io: CliIo): Promise<void> {
  const source = resolveSource(options.store === undefined ? {} : { store: options.store }, io.env, io.cwd ?? process.cwd());
  if (source.kind !== "local") throw new CliError(ExitCode.USAGE_ERROR, "delete works on the local store; use --store <dir>.");
  const missing: string[] = [];
  // Resolve every id before deleting any, so an ambiguous prefix deletes nothing.
  const files: StoredFile[] = [];
  for (const given of traceIds) {
    const traceId = normaliseTraceId(given);
    const file = await findTraceFile(source.store, traceId);
    if (file === undefined) missing.push(`${given}${shortIdHint(traceId)}`);
    else if (!files.some((f) => f.name === file.name)) files.push(file);
  }
  for (const file of files) await deleteTraceFile(source.store, file);
  if (files.length > 0) io.stdout.write(`Deleted ${files.length} trace(s) from ${source.store.dir}.\n`);
  if (missing.length > 0) {
    throw new CliError(ExitCode.NOT_FOUND, `Not in ${source.store.dir}: ${missing.join(", ")}; run \`mlflow-haystack traces list\` to see the ids.`);
  }
}
