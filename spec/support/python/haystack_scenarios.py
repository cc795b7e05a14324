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
from haystack.components.joiners import BranchJoiner
from haystack.components.retrievers.in_memory import InMemoryBM25Retriever
from haystack.core.component.types import GreedyVariadic, Variadic
from haystack.core.errors import PipelineRuntimeError
from haystack.document_stores.in_memory import InMemoryDocumentStore
from haystack.testing import sample_components


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


# Components of Haystack's own run-order tests (test/core/pipeline/features/test_run.py): the sample components
# shipped in haystack.testing, BranchJoiner, and twins of the few it defines inline. ConditionalRouter is replaced by
# RouteIf, which routes a string by equality the way those tests' Jinja conditions do.
@component
class WithDefault:
    @component.output_types(b=int)
    def run(self, a: int, b: int = 2):
        return {"c": a + b}


@component
class DoubleWithOriginal:
    @component.output_types(value=int, original=int)
    def run(self, value: int):
        return {"value": value * 2, "original": value}


@component
class RouteIf:
    def __init__(self, equals: str, then: str, otherwise: str):
        self.equals, self.then, self.otherwise = equals, then, otherwise
        component.set_output_types(self, **{then: str, otherwise: str})

    def run(self, query: str):
        return {self.then if query == self.equals else self.otherwise: query}


@component
class RouteInt:
    """The infinite-loop test's router: numbers above 2 leave by `big_number`, others by `small_number` plus 2."""

    @component.output_types(big_number=int, small_number=int)
    def run(self, number: int):
        return {"big_number": number} if number > 2 else {"small_number": number + 2}


@component
class RouteStreams:
    """The blocked-pipeline test's router: `query` for fewer than two streams, else `streams`."""

    @component.output_types(query=str, streams=list[int])
    def run(self, streams: list[int], query: str):
        return {"query": query} if len(streams) < 2 else {"streams": streams}


@component
class PayloadBuilder:
    @component.output_types(payload=dict)
    def run(self, streams: list[int], query: str):
        return {"payload": {"streams": streams, "query": query}}


@component
class NotADict:
    @component.output_types(b=int)
    def run(self, a: int):
        return 1


@component
class StaticReplies:
    @component.output_types(replies=list[str])
    def run(self, prompt: str):
        return {"replies": ["This is a valid reply"]}


@component
class OutputValidator:
    def __init__(self):
        self.called = False

    @component.output_types(valid_replies=list[str], invalid_replies=list[str], error_message=str)
    def run(self, replies: list[str]):
        if not self.called:
            self.called = True
            return {"invalid_replies": ["This is an invalid reply"], "error_message": "this is an error message"}
        return {"valid_replies": replies}


@component
class Parrot:
    def __init__(self, input_variable: str, variadic: bool = False):
        self.input_variable = input_variable
        socket_type = Variadic[str] if variadic else str
        component.set_input_type(self, input_variable, socket_type, default="Parrot doesn't only parrot!")

    @component.output_types(response=str)
    def run(self, **kwargs):
        return {"response": kwargs[self.input_variable]}


# Components of Haystack's test/core/pipeline/test_pipeline.py.
@component
class Producer:
    def __init__(self, prefix: str):
        self.prefix = prefix

    @component.output_types(value=str | None)
    def run(self, text: str | None):
        return {"value": f"{self.prefix}: {text}"}


@component
class EmptyProcessor:
    @component.output_types()
    def run(self, sources: list[str]):
        return {}


@component
class Combiner:
    @component.output_types(combined=str)
    def run(self, input_a: str | None, input_b: str | None):
        return {"combined": f"{input_a or ''} | {input_b or ''}"}


@component
class DocProducer:
    @component.output_types(doc=Document)
    def run(self):
        return {"doc": Document(content="original")}


@component
class DocMutator:
    @component.output_types(doc=Document)
    def run(self, doc: Document):
        doc.content = "mutated"
        return {"doc": doc}


@component
class StringProducer:
    def __init__(self, value: str):
        self.value = value

    @component.output_types(text=str)
    def run(self):
        return {"text": self.value}


@component
class ListStrProducer:
    def __init__(self, values: list[str]):
        self.values = values

    @component.output_types(texts=list[str])
    def run(self):
        return {"texts": self.values}


@component
class ListStrAcceptor:
    @component.output_types(result=list[str])
    def run(self, texts: list[str]):
        return {"result": texts}


SAMPLE = {name: getattr(sample_components, name) for name in (
    "AddFixedValue", "Double", "Parity", "Repeat", "Subtract", "Sum", "Remainder", "Accumulate", "Greet")}


CORPUS = [
    {"id": "paris", "content": "Paris is the capital of France."},
    {"id": "berlin", "content": "Berlin is the capital of Germany."},
    {"id": "rome", "content": "Rome is the capital of Italy and has many old churches."},
]


def make(kind: str, init: dict) -> Any:
    if kind == "PromptBuilder":
        return PromptBuilder(**init)
    if kind == "SampleThreshold":
        return sample_components.Threshold(**init)
    if kind in SAMPLE:
        return SAMPLE[kind](**init)
    if kind == "BranchJoiner":
        return BranchJoiner({"int": int, "str": str}[init["type"]])
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

# Translated from Haystack's test/core/pipeline/features/test_run.py (its "Running a correct/bad Pipeline" scenarios
# that need no file converters, LLM fakes or Jinja routers); names are the feature file's.
A, J = "AddFixedValue", "BranchJoiner"
LOOP_WITH_TWO_BRANCHES = (
    {"add_one": [A, {"add": 1}], "branch_joiner": [J, {"type": "int"}], "below_10": ["SampleThreshold", {"threshold": 10}],
     "below_5": ["SampleThreshold", {"threshold": 5}], "add_three": [A, {"add": 3}], "accumulator": ["Accumulate", {}],
     "add_two": [A, {"add": 2}]},
    [("add_one.result", "branch_joiner"), ("branch_joiner.value", "below_10.value"), ("below_10.below", "accumulator.value"),
     ("accumulator.value", "below_5.value"), ("below_5.above", "add_three.value"), ("below_5.below", "branch_joiner"),
     ("add_three.result", "branch_joiner"), ("below_10.above", "add_two.value")],
)
REMAINDER_RUNS = [run_({"branch_joiner": {"value": v}}) for v in (0, 3, 4, 5, 6)]
FEATURE_SCENARIOS = [
    scenario("test_run: that has no components", {}, [], [run_({})], max_runs=1),
    scenario("test_run: that is linear", {"first_addition": [A, {"add": 2}], "second_addition": [A, {}], "double": ["Double", {}]},
             [("first_addition", "double"), ("double", "second_addition")], [run_({"first_addition": {"value": 1}})], max_runs=1),
    scenario("test_run: that has an infinite loop", {"main_input": [J, {"type": "int"}], "first_router": ["RouteInt", {}],
             "second_router": ["RouteInt", {}]},
             [("main_input", "first_router.number"), ("first_router.big_number", "second_router.number"),
              ("second_router.big_number", "main_input")], [run_({"main_input": {"value": 3}})], max_runs=1),
    scenario("test_run: that is really complex with lots of components, forks, and loops", {
        "greet_first": ["Greet", {"message": "Hello, the value is {value}."}], "accumulate_1": ["Accumulate", {}],
        "add_two": [A, {"add": 2}], "parity": ["Parity", {}], "add_one": [A, {"add": 1}], "accumulate_2": ["Accumulate", {}],
        "branch_joiner": [J, {"type": "int"}], "below_10": ["SampleThreshold", {"threshold": 10}], "double": ["Double", {}],
        "greet_again": ["Greet", {"message": "Hello again, now the value is {value}."}], "sum": ["Sum", {}],
        "greet_enumerator": ["Greet", {"message": "Hello from enumerator, here the value became {value}."}],
        "enumerate": ["Repeat", {"outputs": ["first", "second"]}], "add_three": [A, {"add": 3}], "diff": ["Subtract", {}],
        "greet_one_last_time": ["Greet", {"message": "Bye bye! The value here is {value}!"}],
        "replicate": ["Repeat", {"outputs": ["first", "second"]}], "add_five": [A, {"add": 5}], "add_four": [A, {"add": 4}],
        "accumulate_3": ["Accumulate", {}]},
        [("greet_first", "accumulate_1"), ("accumulate_1", "add_two"), ("add_two", "parity"), ("parity.even", "greet_again"),
         ("greet_again", "sum.values"), ("sum", "diff.first_value"), ("diff", "greet_one_last_time"),
         ("greet_one_last_time", "replicate"), ("replicate.first", "add_five.value"), ("replicate.second", "add_four.value"),
         ("add_four", "accumulate_3"), ("parity.odd", "add_one.value"), ("add_one", "branch_joiner.value"),
         ("branch_joiner", "below_10"), ("below_10.below", "double"), ("double", "branch_joiner.value"),
         ("below_10.above", "accumulate_2"), ("accumulate_2", "diff.second_value"), ("greet_enumerator", "enumerate"),
         ("enumerate.second", "sum.values"), ("enumerate.first", "add_three.value"), ("add_three", "sum.values")],
        [run_({"greet_first": {"value": 1}, "greet_enumerator": {"value": 1}})], max_runs=3),
    scenario("test_run: that has a single component with a default input", {"with_defaults": ["WithDefault", {}]}, [],
             [run_({"with_defaults": {"a": 40, "b": 30}}), run_({"with_defaults": {"a": 40}})], max_runs=1),
    scenario("test_run: that has two loops of identical lengths", {
        "branch_joiner": [J, {"type": "int"}], "remainder": ["Remainder", {"divisor": 3}], "add_one": [A, {"add": 1}],
        "add_two": [A, {"add": 2}]},
        [("branch_joiner.value", "remainder.value"), ("remainder.remainder_is_1", "add_two.value"),
         ("remainder.remainder_is_2", "add_one.value"), ("add_two", "branch_joiner.value"), ("add_one", "branch_joiner.value")],
        REMAINDER_RUNS, max_runs=2),
    scenario("test_run: that has two loops of different lengths", {
        "branch_joiner": [J, {"type": "int"}], "remainder": ["Remainder", {"divisor": 3}], "add_one": [A, {"add": 1}],
        "add_two_1": [A, {"add": 1}], "add_two_2": [A, {"add": 1}]},
        [("branch_joiner.value", "remainder.value"), ("remainder.remainder_is_1", "add_two_1.value"),
         ("add_two_1", "add_two_2.value"), ("add_two_2", "branch_joiner"), ("remainder.remainder_is_2", "add_one.value"),
         ("add_one", "branch_joiner")],
        REMAINDER_RUNS, max_runs=2),
    scenario("test_run: that has a single loop with two conditional branches", *LOOP_WITH_TWO_BRANCHES,
             [run_({"add_one": {"value": 3}})], max_runs=3),
    scenario("test_run: that has two branches that don't merge", {
        "add_one": [A, {"add": 1}], "parity": ["Parity", {}], "add_ten": [A, {"add": 10}], "double": ["Double", {}],
        "add_three": [A, {"add": 3}]},
        [("add_one.result", "parity.value"), ("parity.even", "add_ten.value"), ("parity.odd", "double.value"),
         ("add_ten.result", "add_three.value")],
        [run_({"add_one": {"value": 1}}), run_({"add_one": {"value": 2}})], max_runs=1),
    scenario("test_run: that has three branches that don't merge", {
        "add_one": [A, {"add": 1}], "repeat": ["Repeat", {"outputs": ["first", "second"]}], "add_ten": [A, {"add": 10}],
        "double": ["Double", {}], "add_three": [A, {"add": 3}], "add_one_again": [A, {"add": 1}]},
        [("add_one.result", "repeat.value"), ("repeat.first", "add_ten.value"), ("repeat.second", "double.value"),
         ("repeat.second", "add_three.value"), ("add_three.result", "add_one_again.value")],
        [run_({"add_one": {"value": 1}})], max_runs=1),
    scenario("test_run: that has two branches that merge", {
        "first_addition": [A, {"add": 2}], "second_addition": [A, {"add": 2}], "third_addition": [A, {"add": 2}],
        "diff": ["Subtract", {}], "fourth_addition": [A, {"add": 1}]},
        [("first_addition.result", "second_addition.value"), ("second_addition.result", "diff.first_value"),
         ("third_addition.result", "diff.second_value"), ("diff", "fourth_addition.value")],
        [run_({"first_addition": {"value": 1}, "third_addition": {"value": 1}})], max_runs=1),
    scenario("test_run: that has different combinations of branches that merge and do not merge", {
        "add_one": [A, {}], "parity": ["Parity", {}], "add_ten": [A, {"add": 10}], "double": ["Double", {}],
        "add_four": [A, {"add": 4}], "add_two": [A, {}], "add_two_as_well": [A, {}], "diff": ["Subtract", {}]},
        [("add_one.result", "parity.value"), ("parity.even", "add_four.value"), ("parity.odd", "double.value"),
         ("add_ten.result", "diff.first_value"), ("double.value", "diff.second_value"), ("parity.odd", "add_ten.value"),
         ("add_four.result", "add_two.value"), ("add_four.result", "add_two_as_well.value")],
        [run_({"add_one": {"value": 1}, "add_two": {"add": 2}, "add_two_as_well": {"add": 2}}),
         run_({"add_one": {"value": 2}, "add_two": {"add": 2}, "add_two_as_well": {"add": 2}})], max_runs=1),
    scenario("test_run: that has two branches, one of which loops back", {
        "add_zero": [A, {"add": 0}], "branch_joiner": [J, {"type": "int"}], "sum": ["Sum", {}],
        "below_10": ["SampleThreshold", {"threshold": 10}], "add_one": [A, {"add": 1}], "counter": ["Accumulate", {}],
        "add_two": [A, {"add": 2}]},
        [("add_zero", "branch_joiner.value"), ("branch_joiner", "below_10.value"), ("below_10.below", "add_one.value"),
         ("add_one.result", "counter.value"), ("counter.value", "branch_joiner.value"), ("below_10.above", "add_two.value"),
         ("add_two.result", "sum.values")],
        [run_({"add_zero": {"value": 8}, "sum": {"values": 2}})], max_runs=10),
    scenario("test_run: that has a component that doesn't return a dictionary", {"comp": ["NotADict", {}]}, [],
             [run_({"comp": {"a": 1}})], max_runs=10),
    scenario("test_run: that has multiple branches that merge into a component with a single variadic input", {
        "add_one": [A, {}], "parity": ["Remainder", {"divisor": 2}], "add_ten": [A, {"add": 10}], "double": ["Double", {}],
        "add_four": [A, {"add": 4}], "add_one_again": [A, {}], "sum": ["Sum", {}]},
        [("add_one.result", "parity.value"), ("parity.remainder_is_0", "add_ten.value"),
         ("parity.remainder_is_1", "double.value"), ("add_one.result", "sum.values"), ("add_ten.result", "sum.values"),
         ("double.value", "sum.values"), ("parity.remainder_is_1", "add_four.value"),
         ("add_four.result", "add_one_again.value"), ("add_one_again.result", "sum.values")],
        [run_({"add_one": {"value": 1}}), run_({"add_one": {"value": 2}})], max_runs=1),
    scenario("test_run: that has multiple branches of different lengths that merge into a component with a single variadic input", {
        "first_addition": [A, {"add": 2}], "second_addition": [A, {"add": 2}], "third_addition": [A, {"add": 2}],
        "sum": ["Sum", {}], "fourth_addition": [A, {"add": 1}]},
        [("first_addition.result", "second_addition.value"), ("first_addition.result", "sum.values"),
         ("second_addition.result", "sum.values"), ("third_addition.result", "sum.values"),
         ("sum.total", "fourth_addition.value")],
        [run_({"first_addition": {"value": 1}, "third_addition": {"value": 1}})], max_runs=1),
    scenario("test_run: that is linear and returns intermediate outputs", {
        "first_addition": [A, {"add": 2}], "second_addition": [A, {}], "double": ["Double", {}]},
        [("first_addition", "double"), ("double", "second_addition")],
        [run_({"first_addition": {"value": 1}}, ["second_addition", "double", "first_addition"]),
         run_({"first_addition": {"value": 1}}, ["double"])], max_runs=1),
    scenario("test_run: that has a loop and returns intermediate outputs from it", *LOOP_WITH_TWO_BRANCHES,
             [run_({"add_one": {"value": 3}},
                   ["add_two", "add_one", "branch_joiner", "below_10", "accumulator", "below_5", "add_three"])], max_runs=10),
    scenario("test_run: that is linear and returns intermediate outputs from multiple sockets", {
        "first_addition": [A, {"add": 2}], "second_addition": [A, {}], "double": ["DoubleWithOriginal", {}]},
        [("first_addition", "double"), ("double.value", "second_addition")],
        [run_({"first_addition": {"value": 1}}, ["second_addition", "double", "first_addition"]),
         run_({"first_addition": {"value": 1}}, ["double"])], max_runs=1),
    scenario("test_run: that has a cycle that would get it stuck", {
        "prompt_builder": ["PromptBuilder", {
            "template": "Here is the comment: {{ comment }}\n{% if invalid_replies and error_message %}"
                        "Previous: {{ invalid_replies }} Error: {{ error_message }}{% endif %}",
            "required_variables": ["comment", "invalid_replies", "error_message"]}],
        "llm": ["StaticReplies", {}], "output_validator": ["OutputValidator", {}]},
        [("prompt_builder.prompt", "llm.prompt"), ("llm.replies", "output_validator.replies"),
         ("output_validator.invalid_replies", "prompt_builder.invalid_replies"),
         ("output_validator.error_message", "prompt_builder.error_message")],
        [run_({"prompt_builder": {"comment": "I loved the quality of the meal but the courier was rude"}})], max_runs=1),
    scenario("test_run: with a component that has dynamic default inputs", {"parrot": ["Parrot", {"input_variable": "parrot"}]},
             [], [run_({"parrot": {"parrot": "Are you a parrot?"}}), run_({})]),
    scenario("test_run: with a component that has variadic dynamic default inputs", {
        "parrot": ["Parrot", {"input_variable": "parrot", "variadic": True}]},
        [], [run_({"parrot": {"parrot": "Are you a parrot?"}}), run_({})], max_runs=1),
    scenario("test_run: where a single component connects multiple sockets to the same receiver socket", {
        "joiner": [J, {"type": "str"}], "router": ["RouteIf", {"equals": "route_1", "then": "route_1", "otherwise": "route_2"}]},
        [("router.route_1", "joiner.value"), ("router.route_2", "joiner.value")],
        [run_({"router": {"query": "route_1"}})], max_runs=1),
    scenario("test_run: where a component in a cycle provides inputs for a component outside the cycle in one iteration "
             "and no input in another iteration", {
        "joiner": [J, {"type": "str"}],
        "router": ["RouteIf", {"equals": "iteration" * 4, "then": "exit", "otherwise": "continue"}],
        "builder": ["PromptBuilder", {"template": "{{query ~ query}}"}],
        "outside_builder": ["PromptBuilder", {"template": "{{cycle_output ~ delayed_input}}",
                                              "required_variables": ["cycle_output", "delayed_input"]}],
        "outside_router": ["RouteIf", {"equals": "iteration" * 2, "then": "cycle_output", "otherwise": "no_output"}]},
        [("joiner.value", "builder.query"), ("builder.prompt", "router.query"), ("router.continue", "joiner.value"),
         ("builder.prompt", "outside_router.query"), ("outside_router.cycle_output", "outside_builder.cycle_output"),
         ("router.exit", "outside_builder.delayed_input")],
        [run_({"joiner": {"value": "iteration"}})], max_runs=2),
    scenario("test_pipeline: a component returning an empty dict appears in include_outputs_from", {
        "producer_a": ["Producer", {"prefix": "A"}], "producer_b": ["Producer", {"prefix": "B"}],
        "empty_processor": ["EmptyProcessor", {}], "combiner": ["Combiner", {}]},
        [("producer_a.value", "combiner.input_a"), ("producer_b.value", "combiner.input_b")],
        [run_({"producer_a": {"text": "hello"}, "producer_b": {"text": "world"}, "empty_processor": {"sources": []}},
              ["producer_a", "empty_processor", "combiner"])]),
    scenario("test_pipeline: a receiver mutating its input does not corrupt the sender's included output", {
        "producer": ["DocProducer", {}], "mutator": ["DocMutator", {}]},
        [("producer.doc", "mutator.doc")], [run_({}, ["producer"])]),
    scenario("test_pipeline: a str and a list[str] sender into one list[str] socket are joined", {
        "str_producer": ["StringProducer", {"value": "hello"}], "list_producer": ["ListStrProducer", {"values": ["world", "!"]}],
        "receiver": ["ListStrAcceptor", {}]},
        [("str_producer.text", "receiver.texts"), ("list_producer.texts", "receiver.texts")], [run_({})]),
    scenario("test_run: that is blocked because not enough component inputs", {
        "router": ["RouteStreams", {}], "payload_builder": ["PayloadBuilder", {}]},
        [("router.streams", "payload_builder.streams"), ("router.query", "payload_builder.query")],
        [run_({"router": {"streams": [1, 2, 3], "query": "Haystack"}})], max_runs=1),
]


def record_error(error: BaseException) -> dict:
    out = {"error": type(error).__name__}
    if isinstance(error, PipelineRuntimeError) and error.component_name is not None:
        out["component"] = error.component_name
        out["message"] = str(error)
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
    scenarios = [run_scenario(s) for s in SCENARIOS + FEATURE_SCENARIOS]
    json.dump({"haystack": haystack.__version__, "corpus": CORPUS, "scenarios": scenarios}, sys.stdout, indent=1,
              ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
