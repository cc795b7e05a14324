"""Makes the OpenAI calls of spec/integration/openai-python-parity.spec.ts under MLflow's own
mlflow.openai.autolog(), one trace per call, and prints {call name: trace id} as JSON.

Usage: python openai_autolog.py <tracking uri> <experiment> <openai base url> <calls as JSON: {name: {method, body}}>
"""
import json
import sys

import mlflow
import openai

mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment(sys.argv[2])
mlflow.openai.autolog()
client = openai.OpenAI(api_key="test", base_url=sys.argv[3], max_retries=0)

CALLS = json.loads(sys.argv[4])
ids = {}
for name, call in CALLS.items():
    body = call["body"]
    if call["method"] == "chat":
        result = client.chat.completions.create(**body)
    elif call["method"] == "responses":
        result = client.responses.create(**body)
    else:
        result = client.embeddings.create(**body)
    if body.get("stream"):
        for _ in result:
            pass
    ids[name] = mlflow.get_last_active_trace_id()
if hasattr(mlflow, "flush_trace_async_logging"):
    mlflow.flush_trace_async_logging()
print(json.dumps(ids))
