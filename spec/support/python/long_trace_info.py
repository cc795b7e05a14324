"""Logs one trace whose name, tags and metadata exceed MLflow's limits (the values the spec
passes as JSON), with MLflow's own Python SDK, and prints its id.

Usage: python long_trace_info.py <tracking_uri> <experiment_id> <json {name, tags, metadata}>
"""
import json
import sys

import mlflow


def main():
    uri, experiment_id, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(experiment_id=experiment_id)
    with mlflow.start_span(name=spec["name"]) as span:
        mlflow.update_current_trace(tags=spec["tags"], metadata=spec["metadata"])
    mlflow.flush_trace_async_logging()
    print(json.dumps({"trace_id": span.trace_id}))


if __name__ == "__main__":
    main()
