"""Runs the parity agent (haystack_agent_run.build_agent) under MLflow's own mlflow.haystack.autolog()
and prints the trace id as JSON. Usage: python haystack_agent_autolog.py <tracking uri> <experiment> <openai base url>"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import mlflow  # noqa: E402
from haystack.dataclasses import ChatMessage  # noqa: E402
from haystack_agent_run import QUESTION, build_agent  # noqa: E402

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment(sys.argv[2])
mlflow.haystack.autolog()
build_agent(sys.argv[3]).run(messages=[ChatMessage.from_user(QUESTION)])
mlflow.flush_trace_async_logging() if hasattr(mlflow, "flush_trace_async_logging") else None
print(json.dumps({"trace_id": mlflow.get_last_active_trace_id()}))
