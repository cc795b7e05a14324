"""Writes the attribute-parity trace (spec/support/fixtures/attribute-parity.json) with MLflow's
own Python SDK, so the TypeScript paths can be compared with what Python writes.

Usage: python write_attribute_parity_trace.py <tracking_uri> <experiment_id> <fixture.json>
Prints {"trace_id": ...}.
"""
import json
import sys

import mlflow
from mlflow.entities import SpanEvent, SpanStatus, SpanStatusCode


def main():
    uri, experiment_id, fixture_path = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(fixture_path, encoding="utf-8") as f:
        fixture = json.load(f)
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(experiment_id=experiment_id)
    values = fixture["values"]
    span_types = fixture["span_types"]
    event = fixture["event"]
    error = fixture["error"]

    with mlflow.start_span(name="attribute_parity", span_type="CHAIN") as root:
        root.set_inputs({"question": "what?"})
        for kind, value in values.items():
            root.set_attribute(f"attr.{kind}", value)
        root.add_event(SpanEvent(event["name"], attributes=event["attributes"]))
        for i, (kind, value) in enumerate(values.items()):
            with mlflow.start_span(name=f"io_{kind}", span_type=span_types[i % len(span_types)]) as span:
                span.set_inputs(value)
                span.set_outputs(value)
        with mlflow.start_span(name=error["span"], span_type="TOOL") as failing:
            failing.add_event(
                SpanEvent("exception", attributes={"exception.type": error["type"], "exception.message": error["message"]})
            )
            failing.set_status(SpanStatus(SpanStatusCode.ERROR, f"{error['type']}: {error['message']}"))
        root.set_outputs("done")

    trace_id = mlflow.get_last_active_trace_id()
    if hasattr(mlflow, "flush_trace_async_logging"):
        mlflow.flush_trace_async_logging(terminate=True)
    print(json.dumps({"trace_id": trace_id}))


if __name__ == "__main__":
    main()
