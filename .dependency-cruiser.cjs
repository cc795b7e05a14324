/**
 * The layering of lib/ (lib/README.md says why), checked by `npm run check:deps`, which `npm test`
 * runs: a folder imports only folders below it, and no module imports itself back through others,
 * type-only imports included (`tsPreCompilationDeps`). There is no list of tolerated violations: one
 * is fixed, or the rule it breaks is changed here, with its reason.
 *
 * Bottom to top: internal ← tracing ← otel ← export ← assessments ← autolog, cli ← index.ts; search sits
 * above export and beside assessments, used by the CLI and the entry point only.
 * haystack stands beside them: it imports internal only (autolog fills its tracing hook).
 * Inside export: mlflow (the protocol) ← clients ← batch ← destination ← exporter.ts; clients read the
 * configured tracking URI and experiment from destination/config.ts (MlflowRestClient's defaults).
 */
const forbid = (name, comment, from, to) => ({ name, comment, severity: "error", from: { path: from }, to: { path: to } });

const ENTRY = "^lib/index\\.ts$";
const REGISTRY = "^lib/internal/global-state\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle (type-only ones included) means two modules are one: merge them or move what both need below both.",
      severity: "error",
      from: {},
      // The shared state (internal/global-state.ts) is where every layer's process-wide state meets:
      // it names tracing types in its slots (type-only, enforced below), so cycles through it are exempt.
      to: { circular: true, viaOnly: { pathNot: REGISTRY } },
    },
    {
      name: "internal-is-the-bottom",
      comment: "lib/internal holds process plumbing every layer may use; it imports no other folder (the shared state's type-only slots aside, see above).",
      severity: "error",
      from: { path: "^lib/internal/", pathNot: REGISTRY },
      to: { path: `^lib/(tracing|otel|export|assessments|autolog|cli|haystack)/|${ENTRY}` },
    },
    {
      name: "the-registry-names-only-types",
      comment: "internal/global-state.ts names tracing types in its slots; it imports no tracing code and nothing above tracing.",
      severity: "error",
      from: { path: REGISTRY },
      to: { path: `^lib/(otel|export|assessments|autolog|cli|haystack)/|${ENTRY}` },
    },
    {
      name: "the-registry-imports-tracing-types-only",
      comment: "Type-only: the registry must not load tracing code.",
      severity: "error",
      from: { path: REGISTRY },
      to: { path: "^lib/tracing/", dependencyTypesNot: ["type-only"] },
    },
    forbid(
      "haystack-stands-alone",
      "The framework knows no tracing: autolog reaches it through haystack/tracing-hook.ts.",
      "^lib/haystack/",
      `^lib/(tracing|otel|export|assessments|autolog|cli)/|${ENTRY}`,
    ),
    forbid(
      "tracing-is-below-otel-and-export",
      "Spans and traces do no I/O and know no destination.",
      "^lib/tracing/",
      `^lib/(otel|export|assessments|autolog|cli|haystack)/|${ENTRY}`,
    ),
    forbid(
      "otel-is-below-export",
      "OpenTelemetry context interop only: OTLP export lives in export/clients.",
      "^lib/otel/",
      `^lib/(export|assessments|autolog|cli|haystack)/|${ENTRY}`,
    ),
    forbid(
      "export-is-below-integrations",
      "Export serves every integration and the CLI; it knows none of them.",
      "^lib/export/",
      `^lib/(assessments|autolog|cli|haystack)/|${ENTRY}`,
    ),
    forbid(
      "assessments-are-below-integrations",
      "The feedback API serves the CLI and any integration; it knows none of them.",
      "^lib/assessments/",
      `^lib/(autolog|cli)/|${ENTRY}`,
    ),
    forbid(
      "search-is-above-export",
      "Trace search reads through export (server API, local store); the layers it uses never use it.",
      "^lib/(internal|tracing|otel|export|haystack)/",
      "^lib/search/",
    ),
    forbid(
      "search-is-beside-the-cli",
      "The CLI and the entry point use search; search uses neither, nor autolog.",
      "^lib/search/",
      `^lib/(autolog|cli|haystack)/|${ENTRY}`,
    ),
    {
      name: "autolog-traces-through-the-integration-interface",
      comment:
        "Integrations (Haystack autolog, the openai client) trace through tracing/integration.ts, which also re-exports " +
        "the span vocabulary they record with (LiveSpan, JsonValue, SpanType, SpanAttributeKey, updateCurrentTrace); " +
        "never the tracing core's internals (openSpan, NOOP_SPAN, adoptSafeAttributes), which change with it.",
      severity: "error",
      from: { path: "^lib/autolog/" },
      to: { path: "^lib/tracing/", pathNot: "^lib/tracing/integration\\.ts$" },
    },
    forbid("autolog-and-cli-are-siblings", "Integrations and the CLI are the top layer; neither uses the other.", "^lib/autolog/", `^lib/cli/|${ENTRY}`),
    forbid("cli-and-autolog-are-siblings", "Integrations and the CLI are the top layer; neither uses the other.", "^lib/cli/", `^lib/autolog/|${ENTRY}`),
    forbid(
      "export-mlflow-is-the-protocol",
      "MLflow's REST protocol, auth and HTTP know nothing of clients, batching or routing.",
      "^lib/export/mlflow/",
      "^lib/export/(clients|batch|destination)/|^lib/export/exporter\\.ts$",
    ),
    {
      name: "export-clients-are-below-batching",
      comment:
        "A client turns one batch into requests or files: it never queues, retries or routes. It may read the " +
        "configured tracking URI and experiment (destination/config.ts), which MlflowRestClient defaults to.",
      severity: "error",
      from: { path: "^lib/export/clients/" },
      to: { path: "^lib/export/(batch|destination)/|^lib/export/exporter\\.ts$", pathNot: "^lib/export/destination/config\\.ts$" },
    },
    {
      name: "export-batch-takes-any-client",
      comment: "The batch processor knows the TraceClient interface, no client, and no destination.",
      severity: "error",
      from: { path: "^lib/export/batch/" },
      to: { path: "^lib/export/(clients|destination)/|^lib/export/exporter\\.ts$", pathNot: "^lib/export/clients/trace-client\\.ts$" },
    },
    forbid(
      "export-destination-is-below-the-exporter",
      "Where traces go is decided without the exporter's wiring.",
      "^lib/export/destination/",
      "^lib/export/exporter\\.ts$",
    ),
    {
      name: "tracing-does-no-io",
      comment: "The tracing core runs on the caller's path: files, sockets and processes belong to export (e.g. export/mlflow/env-metadata.ts).",
      severity: "error",
      from: { path: "^lib/(tracing|internal)/" },
      to: { dependencyTypes: ["core"], path: "^(node:)?(fs|fs/promises|child_process|net|http|https|http2|tls|dgram|os|worker_threads)$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
