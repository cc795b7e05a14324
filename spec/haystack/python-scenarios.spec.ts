/**
 * Every scenario recorded from Python haystack-ai (spec/support/fixtures/haystack/scenarios.json,
 * written by scripts/haystack-ground-truth.js from spec/support/python/haystack_scenarios.py) is
 * rebuilt here with the TypeScript twins of its components and must behave the same: outputs,
 * error class, run order, each visit's inputs, what components saw, and the caller's data left
 * untouched.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Document } from "../../lib/haystack/document";
import { Pipeline } from "../../lib/haystack/pipeline";
import { setPipelineTracer } from "../../lib/haystack/tracing-hook";
import { makeComponent, seen } from "./scenario-components";

interface RecordedRun {
  data: Record<string, unknown>;
  include_outputs_from: string[];
  outputs?: unknown;
  error?: string;
  component?: string;
  /** A PipelineRuntimeError's message (str(error)), recorded with its component. */
  message?: string;
  visits?: [string, Record<string, unknown>][];
  seen?: string[][];
  data_after?: unknown;
}

interface Scenario {
  name: string;
  components: Record<string, [string, Record<string, unknown>]>;
  connections: [string, string][];
  runs: RecordedRun[];
  max_runs_per_component: number;
  connect?: { error: string };
}

const recorded = JSON.parse(readFileSync(join(__dirname, "../support/fixtures/haystack/scenarios.json"), "utf8")) as {
  haystack: string;
  corpus: { id: string; content: string }[];
  scenarios: Scenario[];
};

/** Python's exception classes and ours: Haystack raises a bare ValueError for bad run data. */
const ERROR_CLASSES: Record<string, string> = {
  ValueError: "PipelineValidationError",
  PipelineMaxComponentRuns: "PipelineMaxComponentRunsError",
};

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The JSON form the Python runner records: Documents as id/content/meta/score. */
function plain(value: unknown): unknown {
  if (value instanceof Document) return { id: value.id, content: value.content, meta: plain(value.meta), score: value.score };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Socket values by snake_case name; unset optional sockets (Python records them as null) left out. */
function inputsOf(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) if (value !== null && value !== undefined) out[snake(key)] = plain(value);
  return out;
}

const visits: [string, Record<string, unknown>][] = [];

beforeAll(() => {
  setPipelineTracer({
    tracePipeline: (_event, run) => run(),
    traceComponent: (event, run) => {
      visits.push([event.name, inputsOf(JSON.parse(JSON.stringify(plain(event.inputs))) as Record<string, unknown>)]);
      return run();
    },
  });
});

afterAll(() => setPipelineTracer(undefined));

function build(scenario: Scenario): Pipeline {
  const pipe = new Pipeline({ maxRunsPerComponent: scenario.max_runs_per_component });
  for (const [name, [kind, init]] of Object.entries(scenario.components)) pipe.addComponent(name, makeComponent(kind, init, recorded.corpus));
  for (const [sender, receiver] of scenario.connections) pipe.connect(sender, receiver);
  return pipe;
}

describe(`pipelines behave like Python haystack-ai ${recorded.haystack}`, () => {
  it("was recorded with the haystack-ai pinned in python/requirements-haystack.txt", () => {
    const pin = /^haystack-ai==(\S+)$/m.exec(readFileSync(join(__dirname, "../../python/requirements-haystack.txt"), "utf8"));
    expect(recorded.haystack).toBe(pin?.[1]);
  });

  describe.each(recorded.scenarios.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    const refused = scenario.connect;
    if (refused !== undefined) {
      it(`refuses the connection with ${refused.error}`, () => {
        expect(() => build(scenario)).toThrow(expect.objectContaining({ name: refused.error }));
      });
      return;
    }
    it.each(scenario.runs.map((run, i) => [i + 1, run] as const))("run %i: same outputs or error, run order, inputs per visit", async (_i, run) => {
      const pipe = build(scenario);
      const data = JSON.parse(JSON.stringify(run.data)) as Record<string, unknown>;
      visits.length = 0;
      seen.length = 0;
      let observed: Pick<RecordedRun, "outputs" | "error" | "component" | "message">;
      try {
        observed = { outputs: plain(await pipe.run(data, { includeOutputsFrom: run.include_outputs_from })) };
      } catch (error) {
        const e = error as Error & { componentName?: string };
        observed = { error: e.name, ...(run.component === undefined ? {} : { component: e.componentName, message: e.message }) };
      }
      const expected =
        run.error === undefined
          ? { outputs: run.outputs }
          : { error: ERROR_CLASSES[run.error] ?? run.error, ...(run.component === undefined ? {} : { component: run.component, message: run.message }) };
      expect(observed).toEqual(expected);
      expect(visits.map(([name]) => name)).toEqual(run.visits?.map(([name]) => name));
      expect(visits).toEqual(run.visits?.map(([name, inputs]) => [name, inputsOf(inputs)]));
      expect(seen).toEqual(run.seen);
      expect(data).toEqual(run.data_after);
    });
  });
});
