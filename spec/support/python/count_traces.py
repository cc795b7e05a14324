"""Counts the traces of one experiment with the Python client: python count_traces.py <tracking uri> <experiment id>.
Prints {"count": n, "unique": n}: a duplicate record would make them differ."""
import json
import sys

from mlflow import MlflowClient

client = MlflowClient(tracking_uri=sys.argv[1])
ids = []
token = None
while True:
    page = client.search_traces(locations=[sys.argv[2]], max_results=500, page_token=token)
    ids.extend(t.info.trace_id for t in page)
    token = page.token
    if not token:
        break
print(json.dumps({"count": len(ids), "unique": len(set(ids))}))
