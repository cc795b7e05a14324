/**
 * `mlflow.haystack.autolog()`: traces every pipeline and component run through the pipeline's
 * tracing hook. No monkey-patching; calling it twice installs one tracer.
 */
import { getPipelineTracer, setPipelineTracer } from "../haystack/tracing-hook";
import { setUserWarningsSilenced } from "../internal/diagnostics";
import { checkSwitchOptions } from "./autolog-options";
import { isMlflowTracer, mlflowPipelineTracer } from "./haystack-tracer";

/** Options of {@link autolog}. */
export interface HaystackAutologOptions {
  /** Turn Haystack tracing off (default false). */
  disable?: boolean;
  /** `false` is the same as `disable: true` (default true). */
  logTraces?: boolean;
  /** Suppress the SDK's own warnings during setup and tracing (default false). */
  silent?: boolean;
}

const AUTOLOG_OPTION_KEYS = ["disable", "logTraces", "silent"];

/**
 * Traces every `Pipeline.run` as an MLflow trace: a CHAIN span for the pipeline and a span per
 * component run with its metadata, inputs, outputs, token usage, model, cost and cache hits.
 *
 * @example
 * mlflow.haystack.autolog();
 * await pipe.run({ retriever: { query } });
 * mlflow.haystack.autolog({ disable: true });
 *
 * @throws {ConfigError} for an unknown option or a switch that is not a boolean.
 */
export function autolog(options: HaystackAutologOptions = {}): void {
  checkSwitchOptions("mlflow.haystack.autolog", options, AUTOLOG_OPTION_KEYS);
  const off = options.disable === true || options.logTraces === false;
  setUserWarningsSilenced(options.silent === true);
  if (off) {
    if (isMlflowTracer(getPipelineTracer())) setPipelineTracer(undefined);
    return;
  }
  if (!isMlflowTracer(getPipelineTracer())) setPipelineTracer(mlflowPipelineTracer);
}

/** Whether Haystack autologging is on (by this or another copy of the package). */
export function isAutologEnabled(): boolean {
  return isMlflowTracer(getPipelineTracer());
}
