"""Sampling decisions of MLflow's own tracer-provider sampler (ParentBased(_MlflowSampler), built
from MLFLOW_TRACE_SAMPLING_RATIO) for given trace ids, as a root and under a remote parent.

Usage: python sampling_decisions.py <ids.json> <ratio>...
Prints {"<ratio>": {"root": [bool...], "remote_sampled": [bool...], "remote_unsampled": [bool...]}}.
"""
import json
import os
import sys

from opentelemetry import trace as otel_trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from mlflow.tracing.provider import _get_trace_sampler


def remote(trace_id, sampled):
    ctx = SpanContext(trace_id=trace_id, span_id=0x00F067AA0BA902B7, is_remote=True,
                      trace_flags=TraceFlags(TraceFlags.SAMPLED if sampled else 0))
    return otel_trace.set_span_in_context(NonRecordingSpan(ctx))


def main():
    with open(sys.argv[1]) as f:
        ids = [int(i, 16) for i in json.load(f)]
    out = {}
    for ratio in sys.argv[2:]:
        os.environ["MLFLOW_TRACE_SAMPLING_RATIO"] = ratio
        sampler = _get_trace_sampler()
        decide = lambda tid, parent=None: sampler.should_sample(parent, tid, "span").decision.is_sampled()
        out[ratio] = {
            "root": [decide(t) for t in ids],
            "remote_sampled": [decide(t, remote(t, True)) for t in ids],
            "remote_unsampled": [decide(t, remote(t, False)) for t in ids],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
