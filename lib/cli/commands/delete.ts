/**
 * `traces delete <trace-id...>`: removes traces from the local store, with their sync
 * bookkeeping, so `traces sync` neither sends nor remembers them.
 */
import type { CliIo } from "../cli-io";
import { CliError, ExitCode } from "../cli-io";
import { deleteTrace } from "../local-store/delete";
import { resolveSource } from "../store-source";

export interface DeleteOptions {
  readonly store?: string;
}

export async function deleteCommand(traceIds: readonly string[], options: DeleteOptions, io: CliIo): Promise<void> {
  const source = resolveSource(options.store === undefined ? {} : { store: options.store }, io.env, io.cwd ?? process.cwd());
  if (source.kind !== "local") throw new CliError(ExitCode.USAGE_ERROR, "delete works on the local store; use --store <dir>.");
  const missing: string[] = [];
  let deleted = 0;
  for (const traceId of traceIds) {
    if (await deleteTrace(source.store, traceId)) deleted++;
    else missing.push(traceId);
  }
  if (deleted > 0) io.stdout.write(`Deleted ${deleted} trace(s) from ${source.store.dir}.\n`);
  if (missing.length > 0) {
    throw new CliError(ExitCode.NOT_FOUND, `Not in ${source.store.dir}: ${missing.join(", ")}; run \`mlflow-haystack traces list\` to see the ids.`);
  }
}
