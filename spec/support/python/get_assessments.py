"""Reads a trace's assessments with MLflow's own Python client and prints them as JSON.

Usage: python get_assessments.py <tracking_uri> <trace_id>
Prints [{"type": "Feedback"|"Expectation", "name", "value", "error", "source_type", "source_id",
"rationale", "metadata", "span_id", "overrides", "valid", "assessment_id"}, ...].
"""
import json
import sys

import mlflow


def main():
    uri, trace_id = sys.argv[1], sys.argv[2]
    mlflow.set_tracking_uri(uri)
    trace = mlflow.get_trace(trace_id)
    out = []
    for a in trace.info.assessments:
        error = getattr(a, "error", None)
        out.append({
            "type": type(a).__name__,
            "assessment_id": a.assessment_id,
            "name": a.name,
            "value": a.value,
            "error": None if error is None else {"error_code": error.error_code, "error_message": error.error_message},
            "source_type": a.source.source_type,
            "source_id": a.source.source_id,
            "rationale": a.rationale,
            "metadata": a.metadata,
            "span_id": a.span_id,
            "overrides": a.overrides,
            "valid": a.valid,
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main()
