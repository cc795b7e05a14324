"""Logs COUNT 5-span traces (1 KiB of inputs per span) with the Python `mlflow` SDK and its default
async trace logging, then waits with `mlflow.flush_trace_async_logging()`. Prints one JSON line.

Usage: python python_log_traces.py TRACKING_URI COUNT EXPERIMENT_NAME

The trace shape matches bench/support/bench-traces.ts. A few warm-up traces go to
"<EXPERIMENT_NAME>-warmup" first (untimed), so lazy imports and the server-version probe are paid
before the clock starts.
"""

import json
import sys
import time

import mlflow

SPANS_PER_TRACE = 5
INPUT_BYTES = 1024
FILLER = "lorem ipsum dolor sit amet " * (INPUT_BYTES // 27 + 1)


def payload(trace: int, span: int) -> str:
    head = f"trace {trace} span {span} "
    return head + FILLER[: INPUT_BYTES - len(head)]


def run_trace(i: int) -> None:
    with mlflow.start_span(name="pipeline", span_type="CHAIN") as root:
        root.set_inputs({"query": payload(i, 0)})
        for c in range(1, SPANS_PER_TRACE):
            with mlflow.start_span(name=f"component_{c}", span_type="UNKNOWN") as span:
                span.set_inputs({"text": payload(i, c)})
                span.set_outputs({"ok": c})
        root.set_outputs({"answer": f"answer {i}"})


def main() -> None:
    uri, count, experiment = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(f"{experiment}-warmup")
    for i in range(5):
        run_trace(-1 - i)
    mlflow.flush_trace_async_logging()
    experiment_id = mlflow.set_experiment(experiment).experiment_id

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for i in range(count):
        run_trace(i)
    built = time.perf_counter()
    mlflow.flush_trace_async_logging()
    done = time.perf_counter()
    cpu = time.process_time() - cpu0
    print(
        json.dumps(
            {
                "mlflow": mlflow.__version__,
                "experiment_id": experiment_id,
                "traces": count,
                "spans": count * SPANS_PER_TRACE,
                "build_s": built - t0,
                "total_s": done - t0,
                "cpu_s": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
