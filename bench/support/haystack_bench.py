"""Python Haystack's side of bench/haystack-vs-python.bench.ts.

Usage: python haystack_bench.py <spec.json> <out.json>

The spec (written by the TypeScript bench) holds the corpus, the queries and the BM25 algorithms.
This script times, with time.perf_counter_ns, the same work the TypeScript side times:
  * BM25: InMemoryDocumentStore + InMemoryBM25Retriever, top_k documents per query, every query
    once (each takes milliseconds here), reporting the mean and the top-k ids and scores;
  * Pipeline.run with trivial components: a 3-component chain and a 20-component graph
    (source -> 6 branches of 3 -> a lazy-variadic join), as ns per component run, with the same
    components' run() called directly as the baseline.
It writes one JSON object to <out.json>, so Haystack's logging on stderr cannot garble it.
"""

import json
import os
import platform
import statistics
import sys
import time

# Haystack sends anonymous usage telemetry unless told not to; the bench must stay offline.
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from haystack import Document, Pipeline, component  # noqa: E402
from haystack import __version__ as haystack_version  # noqa: E402
from haystack.components.retrievers.in_memory import InMemoryBM25Retriever  # noqa: E402
from haystack.core.component.types import Variadic  # noqa: E402
from haystack.document_stores.in_memory import InMemoryDocumentStore  # noqa: E402


@component
class Inc:
    @component.output_types(value=int)
    def run(self, value: int):
        return {"value": value + 1}


@component
class Join:
    @component.output_types(total=int)
    def run(self, values: Variadic[int]):
        return {"total": sum(values)}


def chain(n):
    pipe = Pipeline()
    for i in range(n):
        pipe.add_component(f"c{i}", Inc())
    for i in range(1, n):
        pipe.connect(f"c{i - 1}", f"c{i}")
    return pipe


def fan_out():
    """source -> 6 branches of 3 -> join: 20 components (as bench/pipeline.bench.ts)."""
    pipe = Pipeline()
    pipe.add_component("source", Inc())
    pipe.add_component("join", Join())
    for b in range(6):
        for s in range(3):
            pipe.add_component(f"b{b}_{s}", Inc())
        pipe.connect("source", f"b{b}_0")
        pipe.connect(f"b{b}_0", f"b{b}_1")
        pipe.connect(f"b{b}_1", f"b{b}_2")
        pipe.connect(f"b{b}_2", "join.values")
    return pipe


def measure(fn, components, round_seconds, rounds):
    """Median ns per component run over `rounds` rounds of about `round_seconds` each."""
    warm_until = time.perf_counter_ns() + int(round_seconds * 0.5e9)
    calls = 0
    while time.perf_counter_ns() < warm_until or calls < 3:
        fn()
        calls += 1
    per_call = (round_seconds * 0.5e9) / calls
    iterations = max(1, int(round_seconds * 1e9 / per_call))
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            fn()
        samples.append((time.perf_counter_ns() - start) / (iterations * components))
    return {"ns_per_component_run": statistics.median(samples), "iterations": iterations, "rounds": rounds}


def bench_pipelines(spec):
    round_seconds = spec.get("round_seconds", 0.4)
    rounds = spec.get("rounds", 5)
    inc, join = Inc(), Join()

    def direct20():
        v = inc.run(value=0)["value"]
        totals = [inc.run(value=inc.run(value=inc.run(value=v)["value"])["value"])["value"] for _ in range(6)]
        return join.run(values=totals)

    c3, g20 = chain(3), fan_out()
    out3 = c3.run({"c0": {"value": 0}})
    out20 = g20.run({"source": {"value": 0}})
    return {
        "chain3": {
            "direct": measure(lambda: inc.run(value=inc.run(value=inc.run(value=0)["value"])["value"]), 3, round_seconds, rounds),
            "pipeline": measure(lambda: c3.run({"c0": {"value": 0}}), 3, round_seconds, rounds),
            "outputs": out3,
        },
        "graph20": {
            "direct": measure(direct20, 20, round_seconds, rounds),
            "pipeline": measure(lambda: g20.run({"source": {"value": 0}}), 20, round_seconds, rounds),
            "outputs": out20,
        },
    }


def bench_bm25(spec):
    documents = [Document(id=d["id"], content=d["content"]) for d in spec["documents"]]
    queries = spec["queries"]
    top_k = spec["top_k"]
    out = {}
    for algorithm in spec["algorithms"]:
        store = InMemoryDocumentStore(bm25_algorithm=algorithm)
        start = time.perf_counter_ns()
        store.write_documents(documents)
        write_ns = time.perf_counter_ns() - start
        retriever = InMemoryBM25Retriever(document_store=store, top_k=top_k)
        retriever.run(query=queries[0])  # warm-up
        timings, results = [], []
        for query in queries:
            start = time.perf_counter_ns()
            found = retriever.run(query=query)["documents"]
            timings.append(time.perf_counter_ns() - start)
            results.append([[doc.id, doc.score] for doc in found])
        out[algorithm] = {
            "ms_per_query": statistics.fmean(timings) / 1e6,
            "median_ms_per_query": statistics.median(timings) / 1e6,
            "write_ms": write_ns / 1e6,
            "results": results,
        }
    return out


def main():
    spec_path, out_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    result = {
        "haystack_version": haystack_version,
        "python_version": platform.python_version(),
        "pipelines": bench_pipelines(spec.get("pipeline", {})),
        "bm25": bench_bm25(spec),
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
