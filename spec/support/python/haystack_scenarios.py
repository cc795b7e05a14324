"""Runs small pipelines in Python Haystack and prints, as JSON, what a user can observe of each run:
the outputs (or the error class and failing component), every component visit in run order with the
inputs it received, and what the components saw while running (mutation checks).

The scenario definitions are data (components by class name + init arguments, connections, runs) and
are printed with the results, so spec/haystack/python-scenarios.spec.ts builds the very same
pipelines from the recorded file with the TypeScript twins of these components
(spec/haystack/scenario-components.ts).

Run through scripts/haystack-ground-truth.js, which owns the virtualenv with the pinned haystack-ai.
"""
import contextlib
import copy
import json
import sys
from typing import Any, Iterator

import haystack
from haystack import Document, Pipeline, component, tracing
from haystack.components.builders import PromptBuilder
from haystack.components.retrievers.in_memory import InMemoryBM25Retriever
from haystack.core.component.types import GreedyVariadic, Variadic
from haystack.core.errors import PipelineRuntimeError
from haystack.document_stores.in_memory import InMemoryDocumentStore


def plain(value: Any) -> Any:
    """JSON form of what a component saw: Documents as their id, content, meta and score."""
    if isinstance(value, Document):
        return {"id": value.id, "content": value.content, "meta": plain(value.meta), "score": value.score}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class RecordingSpan(tracing.Span):
    def __init__(self, visits: list, operation: str):
        self.visits, self.operation, self.tags = visits, operation, {}

    def set_tag(self, key: str, value: Any) -> None:
        if key == "haystack.component.input":
            self.visits.append([self.tags.get("haystack.component.name"), plain(copy.deepcopy(value))])
        self.tags[key] = value


class RecordingTracer(tracing.Tracer):
    def __init__(self):
        self.visits: list = []

    @contextlib.contextmanager
    def trace(self, operation_name: str, tags: dict | None = None, parent_span=None) -> Iterator[tracing.Span]:
        span = RecordingSpan(self.visits, operation_name)
        for key, value in (tags or {}).items():
            span.set_tag(key, value)
        yield span

    def current_span(self):
        return None


SEEN: list = []  # what components saw while running, for mutation checks


@component
class AddValue:
    def __init__(self, add: int = 1):
        self.add = add

    @component.output_types(value=int)
    def run(self, value: int, extra: int = 0):
        return {"value": value + self.add + extra}


@component
class Threshold:
    def __init__(self, limit: int):
        self.limit = limit

    @component.output_types(below=int, above=int)
    def run(self, value: int):
        return {"below": value} if value < self.limit else {"above": value}


@component
class GreedyJoin:
    @component.output_types(value=int)
    def run(self, value: GreedyVariadic[int]):
        return {"value": list(value)[0]}


@component
class LazySum:
    @component.output_types(total=int)
    def run(self, values: Variadic[int]):
        return {"total": sum(values)}


@component
class ListSource:
    def __init__(self, items: list[str]):
        self.items = items

    @component.output_types(items=list[str])
    def run(self, prefix: str):
        return {"items": [prefix + item for item in self.items]}


@component
class ListCollect:
    @component.output_types(items=list[str], count=int)
    def run(self, items: list[str]):
        return {"items": items, "count": len(items)}


@component
class Mutator:
    def __init__(self, tag: str):
        self.tag = tag

    @component.output_types(items=list[str])
    def run(self, items: list[str], scratch: list[str] | None = None):
        items.append(self.tag)
        if scratch is not None:
            scratch.append(self.tag)
            SEEN.append(list(scratch))
        return {"items": items}


@component
class ListJoin:
    @component.output_types(items=list[str])
    def run(self, items: GreedyVariadic[list[str]]):
        return {"items": list(items)[0]}


@component
class LengthCheck:
    def __init__(self, limit: int):
        self.limit = limit

    @component.output_types(short=list[str], long=list[str])
    def run(self, items: list[str]):
        return {"short": items} if len(items) < self.limit else {"long": items}


@component
class TextOut:
    @component.output_types(text=str)
    def run(self, text: str):
        return {"text": text}


@component
class WordsOut:
    @component.output_types(words=list[str])
    def run(self, text: str):
        return {"words": text.split()}


@component
class NumbersOut:
    @component.output_types(numbers=list[int])
    def run(self, n: int):
        return {"numbers": [n]}


@component
class IntIn:
    @component.output_types(n=int)
    def run(self, n: int):
        return {"n": n}


@component
class Fail:
    @component.output_types(value=int)
    def run(self, value: int):
        raise ValueError("boom")


@component
class Extra:
    @component.output_types(y=int)
    def run(self, x: int):
        return {"y": x, "extra": x + 1}


@component
class OptionalSum:
    @component.output_types(total=int)
    def run(self, a: int, b: int | None = None):
        return {"total": a + (b or 0)}


CORPUS = [
    {"id": "paris", "content": "Paris is the capital of France."},
    {"id": "berlin", "content": "Berlin is the capital of Germany."},
    {"id": "rome", "content": "Rome is the capital of Italy and has many old churches."},
]


def make(kind: str, init: dict) -> Any:
    if kind == "PromptBuilder":
        return PromptBuilder(**init)
    if kind == "InMemoryBM25Retriever":
        store = InMemoryDocumentStore()
        store.write_documents([Document(**d) for d in CORPUS])
        return InMemoryBM25Retriever(document_store=store, **init)
    return globals()[kind](**init)


def scenario(name, components, connections=(), runs=(), max_runs=100):
    return {"name": name, "components": components, "connections": [list(c) for c in connections],
            "runs": list(runs), "max_runs_per_component": max_runs}


def run_(data, include=None):
    return {"data": data, "include_outputs_from": include or []}


SCENARIOS = [
    scenario("linear chain with a default", {"first": ["AddValue", {}], "second": ["AddValue", {"add": 10}]},
             [("first.value", "second.value")], [run_({"first": {"value": 1}}), run_({"value": 5})]),
    scenario("router branches: only the taken branch runs", {
        "router": ["Threshold", {"limit": 5}], "small": ["AddValue", {"add": 100}], "big": ["AddValue", {"add": 1000}]},
        [("router.below", "small.value"), ("router.above", "big.value")],
        [run_({"router": {"value": 1}}), run_({"router": {"value": 9}})]),
    scenario("loop through a greedy join until a threshold", {
        "join": ["GreedyJoin", {}], "add": ["AddValue", {"add": 2}], "check": ["Threshold", {"limit": 7}]},
        [("join.value", "add.value"), ("add.value", "check.value"), ("check.below", "join.value")],
        [run_({"join": {"value": 1}}), run_({"join": {"value": 1}}, ["add", "join"])]),
    scenario("loop stopped by max_runs_per_component", {
        "join": ["GreedyJoin", {}], "add": ["AddValue", {"add": 1}], "check": ["Threshold", {"limit": 100}]},
        [("join.value", "add.value"), ("add.value", "check.value"), ("check.below", "join.value")],
        [run_({"join": {"value": 1}})], max_runs=3),
    scenario("lazy variadic join waits for every sender", {
        "a": ["AddValue", {"add": 1}], "b": ["AddValue", {"add": 2}], "sum": ["LazySum", {}]},
        [("a.value", "sum.values"), ("b.value", "sum.values")],
        [run_({"a": {"value": 1}, "b": {"value": 10}}), run_({"a": {"value": 1}, "b": {"value": 10}, "sum": {"values": 100}})]),
    scenario("two senders into a list socket are concatenated", {
        "x": ["ListSource", {"items": ["1", "2"]}], "y": ["ListSource", {"items": ["3"]}], "collect": ["ListCollect", {}]},
        [("x.items", "collect.items"), ("y.items", "collect.items")],
        [run_({"x": {"prefix": "x"}, "y": {"prefix": "y"}})]),
    scenario("a run value into a connected list socket is merged with the senders'", {
        "x": ["ListSource", {"items": ["1"]}], "y": ["ListSource", {"items": ["2"]}], "collect": ["ListCollect", {}]},
        [("x.items", "collect.items"), ("y.items", "collect.items")],
        [run_({"x": {"prefix": "x"}, "y": {"prefix": "y"}, "collect": {"items": ["user"]}})]),
    scenario("a run value into a list socket with one sender is merged too", {
        "x": ["ListSource", {"items": ["1", "2"]}], "collect": ["ListCollect", {}]},
        [("x.items", "collect.items")], [run_({"x": {"prefix": "x"}, "collect": {"items": ["user"]}})]),
    scenario("a run value into a connected int socket is refused", {"a": ["IntIn", {}], "b": ["IntIn", {}]},
             [("a.n", "b.n")], [run_({"a": {"n": 1}, "b": {"n": 2}})]),
    scenario("receivers of one sender get their own copies", {
        "source": ["ListSource", {"items": ["s"]}], "m1": ["Mutator", {"tag": "m1"}], "m2": ["Mutator", {"tag": "m2"}]},
        [("source.items", "m1.items"), ("source.items", "m2.items")],
        [run_({"source": {"prefix": ""}}, ["source"])]),
    scenario("a run value is copied afresh for every loop visit", {
        "join": ["ListJoin", {}], "mutate": ["Mutator", {"tag": "t"}], "check": ["LengthCheck", {"limit": 3}]},
        [("join.items", "mutate.items"), ("mutate.items", "check.items"), ("check.short", "join.items")],
        [run_({"join": {"items": ["a"]}, "mutate": {"scratch": ["u"]}})]),
    scenario("optional inputs: default when unconnected, wait for a connected sender", {
        "left": ["Threshold", {"limit": 5}], "sum": ["OptionalSum", {}]},
        [("left.below", "sum.b")], [run_({"left": {"value": 1}, "sum": {"a": 10}}), run_({"left": {"value": 9}, "sum": {"a": 10}})]),
    scenario("str is wrapped into a list[str] socket", {"text": ["TextOut", {}], "collect": ["ListCollect", {}]},
             [("text.text", "collect.items")], [run_({"text": {"text": "hello"}})]),
    scenario("a one-item list[str] is unwrapped into a str socket", {"words": ["WordsOut", {}], "text": ["TextOut", {}]},
             [("words.words", "text.text")], [run_({"words": {"text": "single"}}), run_({"words": {"text": "two words"}})]),
    scenario("list[int] cannot be connected to an int socket", {"numbers": ["NumbersOut", {}], "n": ["IntIn", {}]},
             [("numbers.numbers", "n.n")], [run_({"numbers": {"n": 1}})]),
    scenario("a failing component", {"add": ["AddValue", {}], "fail": ["Fail", {}]},
             [("add.value", "fail.value")], [run_({"add": {"value": 1}})]),
    scenario("a missing mandatory input", {"add": ["AddValue", {}]}, [], [run_({"add": {"extra": 1}})]),
    scenario("outputs a component did not declare are returned", {"extra": ["Extra", {}]}, [],
             [run_({"extra": {"x": 1}}), run_({"extra": {"x": 1}}, ["extra"])]),
    scenario("prompt builders on an untaken branch do not run", {
        "router": ["Threshold", {"limit": 5}],
        "low": ["PromptBuilder", {"template": "low {{ value }}"}],
        "high": ["PromptBuilder", {"template": "high {{ value }} {{ note }}", "required_variables": ["value"]}]},
        [("router.below", "low.value"), ("router.above", "high.value")],
        [run_({"router": {"value": 2}}), run_({"router": {"value": 8}})]),
    scenario("a prompt builder missing a required variable", {"prompt": ["PromptBuilder", {"template": "{{ a }} {{ b }}"}]},
             [], [run_({"prompt": {"a": 1}})]),
    scenario("BM25 retrieval into a prompt with Jinja keyword arguments", {
        "retriever": ["InMemoryBM25Retriever", {"top_k": 2}],
        "prompt": ["PromptBuilder", {"template": "{{ documents|join(' | ', attribute='content') }} Q: {{ query }}"}]},
        [("retriever.documents", "prompt.documents")],
        [run_({"retriever": {"query": "capital of France"}, "prompt": {"query": "capital of France"}}, ["retriever"])]),
]


def record_error(error: BaseException) -> dict:
    out = {"error": type(error).__name__}
    if isinstance(error, PipelineRuntimeError) and error.component_name is not None:
        out["component"] = error.component_name
    return out


def run_scenario(definition: dict) -> dict:
    result: dict = {**definition, "runs": []}
    pipe = Pipeline(max_runs_per_component=definition["max_runs_per_component"])
    for name, (kind, init) in definition["components"].items():
        pipe.add_component(name, make(kind, init))
    try:
        for sender, receiver in definition["connections"]:
            pipe.connect(sender, receiver)
    except Exception as error:  # noqa: BLE001 -- a refused connection is what this scenario records
        result["connect"] = record_error(error)
        result["runs"] = [{**r} for r in definition["runs"]]
        return result
    for run in definition["runs"]:
        tracer = RecordingTracer()
        tracing.enable_tracing(tracer)
        SEEN.clear()
        data = copy.deepcopy(run["data"])
        observed: dict = {**run}
        try:
            observed["outputs"] = plain(pipe.run(data, include_outputs_from=set(run["include_outputs_from"])))
        except Exception as error:  # noqa: BLE001
            observed.update(record_error(error))
        finally:
            tracing.disable_tracing()
        observed["visits"] = tracer.visits
        observed["seen"] = list(SEEN)
        observed["data_after"] = data
        result["runs"].append(observed)
    return result


def main() -> None:
    tracing.tracer.is_content_tracing_enabled = True
    scenarios = [run_scenario(s) for s in SCENARIOS]
    json.dump({"haystack": haystack.__version__, "corpus": CORPUS, "scenarios": scenarios}, sys.stdout, indent=1,
              ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
