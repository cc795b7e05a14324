"""Runs two pipeline shapes in Python Haystack under MLflow's own ``mlflow.haystack.autolog()`` and
prints the ids of the traces they produced and the versions used, as JSON:
``{"add": "<trace id>", "rag": "<trace id>", "versions": {"mlflow": "...", "haystack": "..."}}``.

Usage: python haystack_autolog_trace.py <tracking_uri> <experiment_name> <openai_base_url> <rag_json>

``rag_json`` holds ``{"documents": [str], "template": str, "question": str, "model": str}`` so the
RAG pipeline uses exactly the data of the TypeScript pipeline it is compared with. The OpenAI
chat generator talks to the loopback OpenAI-compatible server at ``openai_base_url``; nothing leaves the
machine (set HAYSTACK_TELEMETRY_ENABLED=False in the environment).

The shapes:
  add -- the one-component ``Add`` pipeline of MLflow's tests/haystack/test_haystack_tracing.py,
         run with ``{"adder": {"a": 1, "b": 2}}``.
  rag -- InMemoryBM25Retriever -> PromptBuilder -> OpenAIChatGenerator (the seed's RAG example; Haystack 3
         removed OpenAIGenerator and converts the builder's str prompt into a user ChatMessage).
"""
import json
import sys

import haystack
import mlflow
from haystack import Document, Pipeline, component
from haystack.components.builders import PromptBuilder
from haystack.components.generators.chat import OpenAIChatGenerator
from haystack.components.retrievers.in_memory import InMemoryBM25Retriever
from haystack.document_stores.in_memory import InMemoryDocumentStore
from haystack.utils import Secret


@component
class Add:
    @component.output_types(sum=int)
    def run(self, a: int, b: int):
        return {"sum": a + b}


def run_add():
    pipe = Pipeline()
    pipe.add_component("adder", Add())
    pipe.run({"adder": {"a": 1, "b": 2}})
    return mlflow.get_last_active_trace_id()


def run_rag(openai_base_url, rag):
    document_store = InMemoryDocumentStore()
    document_store.write_documents([Document(content=text) for text in rag["documents"]])
    pipe = Pipeline()
    pipe.add_component("retriever", InMemoryBM25Retriever(document_store=document_store))
    pipe.add_component("prompt_builder", PromptBuilder(template=rag["template"]))
    pipe.add_component(
        "llm",
        OpenAIChatGenerator(api_key=Secret.from_token("test"), model=rag["model"], api_base_url=openai_base_url),
    )
    pipe.connect("retriever", "prompt_builder.documents")
    pipe.connect("prompt_builder", "llm")
    question = rag["question"]
    pipe.run({"retriever": {"query": question}, "prompt_builder": {"question": question}})
    return mlflow.get_last_active_trace_id()


def main():
    tracking_uri, experiment_name, openai_base_url, rag_json = sys.argv[1:5]
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment_name)
    mlflow.haystack.autolog()
    ids = {"add": run_add(), "rag": run_rag(openai_base_url, json.loads(rag_json))}
    # Traces are exported in the background; make sure they reached the server before exiting.
    mlflow.flush_trace_async_logging(terminate=True)
    ids["versions"] = {"mlflow": mlflow.__version__, "haystack": haystack.__version__}
    print(json.dumps(ids))


if __name__ == "__main__":
    main()
