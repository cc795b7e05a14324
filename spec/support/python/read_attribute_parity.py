"""Reads traces with MLflow's own Python client for the attribute-parity spec: per trace, its tags
and each span as `get_trace.py` prints it, plus `attribute_texts`, the JSON text the store holds
for every attribute value (what `span.attributes.*` search and the UI read).

Usage: python read_attribute_parity.py <tracking_uri> <trace_id>...
Prints {trace_id: {"tags": {...}, "metadata": {...}, "spans": [...]}}.
"""
import json
import sys

import mlflow
from get_trace import span_dict


def main():
    uri, trace_ids = sys.argv[1], sys.argv[2:]
    mlflow.set_tracking_uri(uri)
    out = {}
    for trace_id in trace_ids:
        trace = mlflow.get_trace(trace_id)
        out[trace_id] = {
            "tags": dict(trace.info.tags),
            "metadata": dict(trace.info.trace_metadata),
            "spans": [
                {**span_dict(span), "attribute_texts": span.to_dict()["attributes"]}
                for span in trace.data.spans
            ],
        }
    print(json.dumps(out, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
