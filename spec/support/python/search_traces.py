"""Lists an experiment's traces with MLflow's own Python client and prints them as JSON.

Usage: python search_traces.py <tracking_uri> <experiment_name> [--full]
Prints {"traces": [{"trace_id", "spans", "json_length"[, "json"]}]}: with --full, each trace's
Trace.to_json() too.
"""
import json
import sys

import mlflow


def main():
    uri, name = sys.argv[1], sys.argv[2]
    full = "--full" in sys.argv[3:]
    mlflow.set_tracking_uri(uri)
    experiment = mlflow.get_experiment_by_name(name)
    out = []
    if experiment is not None:
        traces = mlflow.search_traces(experiment_ids=[experiment.experiment_id], return_type="list", max_results=1000)
        for trace in traces:
            text = trace.to_json()
            entry = {"trace_id": trace.info.trace_id, "spans": len(trace.data.spans), "json_length": len(text)}
            if full:
                entry["json"] = text
            out.append(entry)
    print(json.dumps({"traces": out}))


if __name__ == "__main__":
    main()
