"""Runs the parity agent in Python haystack-ai (python/requirements-haystack.txt) against an
OpenAI-compatible server and prints its outputs as JSON: the messages as ChatMessage.to_dict(),
step_count, token_usage, tool_call_counts and exit_reason.
Usage: python haystack_agent_run.py <openai base url>
haystack_agent_autolog.py imports build_agent() to run the same agent under mlflow.haystack.autolog()."""
import json
import sys

from haystack.components.agents import Agent
from haystack.components.generators.chat import OpenAIChatGenerator
from haystack.dataclasses import ChatMessage
from haystack.tools import Tool
from haystack.utils import Secret

failures = {"exchange_rate": 1}


def weather(city: str) -> str:
    return f"22 degrees in {city}"


def exchange_rate(currency: str) -> dict:
    if failures["exchange_rate"] > 0:
        failures["exchange_rate"] -= 1
        raise RuntimeError("rate service unavailable")
    return {"currency": currency, "rate": 1.08}


def build_agent(base_url: str) -> Agent:
    failures["exchange_rate"] = 1
    tools = [
        Tool(name="weather", description="Weather for a city",
             parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, function=weather),
        Tool(name="exchange_rate", description="EUR rate of a currency",
             parameters={"type": "object", "properties": {"currency": {"type": "string"}}, "required": ["currency"]}, function=exchange_rate),
    ]
    generator = OpenAIChatGenerator(api_key=Secret.from_token("test"), api_base_url=base_url, model="gpt-4o-mini", max_retries=0)
    return Agent(chat_generator=generator, tools=tools, system_prompt="Use tools.")


QUESTION = "Weather in Paris and the USD rate?"

if __name__ == "__main__":
    result = build_agent(sys.argv[1]).run(messages=[ChatMessage.from_user(QUESTION)])
    print(json.dumps({
        "messages": [m.to_dict() for m in result["messages"]],
        "step_count": result["step_count"],
        "token_usage": result["token_usage"],
        "tool_call_counts": result["tool_call_counts"],
        "exit_reason": result["exit_reason"],
    }))
