"""Logs a feedback with only a rationale (no value, no error) with MLflow's own Python SDK, as
`mlflow.log_feedback(trace_id=..., name=..., rationale=...)`, and prints its assessment id.

Usage: python log_comment_feedback.py <tracking_uri> <trace_id> <name> <rationale>
"""
import json
import sys

import mlflow


def main():
    uri, trace_id, name, rationale = sys.argv[1:5]
    mlflow.set_tracking_uri(uri)
    feedback = mlflow.log_feedback(trace_id=trace_id, name=name, rationale=rationale)
    print(json.dumps({"assessment_id": feedback.assessment_id}))


if __name__ == "__main__":
    main()
