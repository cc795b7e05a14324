"""Reads a trace with MLflow's own Python client and prints it as JSON.

Usage: python get_trace.py <tracking_uri> <trace_id>
"""
import json
import sys

import mlflow


def span_dict(span):
    return {
        "name": span.name,
        "span_id": span.span_id,
        "parent_id": span.parent_id,
        "span_type": span.span_type,
        "inputs": span.inputs,
        "outputs": span.outputs,
        "status": {"code": span.status.status_code.value, "description": span.status.description},
        "attributes": span.attributes,
        "events": [
            {"name": e.name, "timestamp": e.timestamp, "attributes": dict(e.attributes or {})}
            for e in span.events
        ],
        "start_time_ns": span.start_time_ns,
        "end_time_ns": span.end_time_ns,
    }


def main():
    uri, trace_id = sys.argv[1], sys.argv[2]
    mlflow.set_tracking_uri(uri)
    trace = mlflow.get_trace(trace_id)
    if trace is None:
        print(json.dumps(None))
        return
    info = trace.info
    out = {
        "info": {
            "trace_id": info.trace_id,
            "state": str(info.state.value if hasattr(info.state, "value") else info.state),
            "experiment_id": info.experiment_id,
            "request_time": info.request_time,
            "execution_duration": info.execution_duration,
            "token_usage": info.token_usage,
            "request_preview": info.request_preview,
            "response_preview": info.response_preview,
            "trace_metadata": dict(info.trace_metadata),
            "tags": dict(info.tags),
        },
        "spans": [span_dict(s) for s in trace.data.spans],
    }
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
