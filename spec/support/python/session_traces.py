"""Finds an experiment's traces of one session with MLflow's own Python client, as the UI's
Sessions view does (search by metadata), and prints each trace's id, session, user and tags.

Usage: python session_traces.py <tracking_uri> <experiment_id> <session_id>
"""
import json
import sys

import mlflow


def main():
    uri, experiment_id, session = sys.argv[1], sys.argv[2], sys.argv[3]
    mlflow.set_tracking_uri(uri)
    traces = mlflow.search_traces(
        locations=[experiment_id],
        filter_string=f"metadata.`mlflow.trace.session` = '{session}'",
        order_by=["timestamp_ms ASC"],
        return_type="list",
    )
    out = []
    for trace in traces:
        full = mlflow.get_trace(trace.info.trace_id)
        meta = full.info.trace_metadata
        out.append({
            "trace_id": full.info.trace_id,
            "session": meta.get("mlflow.trace.session"),
            "user": meta.get("mlflow.trace.user"),
            "tags": {k: v for k, v in full.info.tags.items() if not k.startswith("mlflow.")},
        })
    print(json.dumps({"traces": out}))


if __name__ == "__main__":
    main()
