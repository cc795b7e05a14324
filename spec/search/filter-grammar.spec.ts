/**
 * The filter parser against MLflow 3.17's own answers: every expected value and message below was
 * printed by `SearchTraceUtils.parse_search_filter_for_search_traces` (and the SQL store's comparator
 * checks) of the pinned mlflow. Python prints sets in hash order, so sets are compared as sets.
 */
import { InvalidFilterError } from "../../lib/search/errors";
import { compileFilter } from "../../lib/search/filter-eval";
import { parseFilter } from "../../lib/search/filter-grammar";
import { normalizeSets } from "../support/python-sets";

function errorOf(filter: string): string {
  try {
    compileFilter(parseFilter(filter));
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidFilterError);
    return normalizeSets((err as Error).message);
  }
  throw new Error(`no error for ${filter}`);
}

describe("parseFilter", () => {
  it.each([
    ["timestamp_ms > 5", [{ type: "attribute", key: "timestamp_ms", comparator: ">", value: 5 }]],
    ["timestamp > 5", [{ type: "attribute", key: "timestamp_ms", comparator: ">", value: 5 }]],
    ["status = 'OK'", [{ type: "attribute", key: "status", comparator: "=", value: "OK" }]],
    ["name = 'x'", [{ type: "tag", key: "mlflow.traceName", comparator: "=", value: "x" }]],
    ["tag.`a.b` = 'x'", [{ type: "tag", key: "a.b", comparator: "=", value: "x" }]],
    ['tag.env = "prod"', [{ type: "tag", key: "env", comparator: "=", value: "prod" }]],
    ["execution_time_ms > 5.5", [{ type: "attribute", key: "execution_time_ms", comparator: ">", value: 5.5 }]],
    ["tag.env IS NOT NULL", [{ type: "tag", key: "env", comparator: "IS NOT NULL", value: null }]],
    ["feedback.q IS NULL", [{ type: "feedback", key: "q", comparator: "IS NULL", value: null }]],
    ["tag.env = 'a' AND", [{ type: "tag", key: "env", comparator: "=", value: "a" }]],
    ["span.status IN ('OK', 'ERROR')", [{ type: "span", key: "status", comparator: "IN", value: ["OK", "ERROR"] }]],
    ["trace.timestamp_ms >= 1e5", [{ type: "attribute", key: "timestamp_ms", comparator: ">=", value: 100000 }]],
    ["trace.timestamp_ms > -5", [{ type: "attribute", key: "timestamp_ms", comparator: ">", value: -5 }]],
    // Only `timestamp` is a builtin type name to sqlparse: a bare `timestamp_ms` takes any value.
    ["timestamp_ms > 1.7e12", [{ type: "attribute", key: "timestamp_ms", comparator: ">", value: 1.7e12 }]],
    ["timestamp_ms > '1700000000000'", [{ type: "attribute", key: "timestamp_ms", comparator: ">", value: "1700000000000" }]],
    ['timestamp_ms = "5"', [{ type: "attribute", key: "timestamp_ms", comparator: "=", value: "5" }]],
    ["metadata.run_id = 'r'", [{ type: "request_metadata", key: "mlflow.sourceRun", comparator: "=", value: "r" }]],
    [
      "tag.env = 'a' and tag.b like 'c%'",
      [
        { type: "tag", key: "env", comparator: "=", value: "a" },
        { type: "tag", key: "b", comparator: "like", value: "c%" },
      ],
    ],
  ])("reads %s as MLflow does", (filter, expected) => {
    expect(parseFilter(filter)).toEqual(expected);
  });

  it.each([
    ["tag.env = 'a' OR tag.env = 'b'", "Invalid clause(s) in filter string: 'OR'"],
    [
      "foo.bar = 'x'",
      "Invalid entity type 'foo'. Valid values are {'span', 'feedback', 'attribute', 'tag', 'tags', 'expectation', 'attributes', 'issue', 'trace', 'request_metadata', 'metadata'}",
    ],
    [
      "trace.nope = 'x'",
      "Invalid attribute key 'nope' specified. Valid keys are '{'status', 'end_time', 'request_id', 'execution_time_ms', 'text', 'timestamp_ms', 'name', 'execution_time', 'run_id', 'prompt', 'client_request_id', 'timestamp', 'end_time_ms'}'",
    ],
    ["tag.env = prod", "Parameter value is either not quoted or unidentified quote types used for string value prod. Use either single or double quotes."],
    ["tag.env = 5", "Expected a quoted string value for tag (e.g. 'my-value'). Got value 5"],
    [
      "trace.status = 5",
      "Only the '{'end_time', 'execution_time', 'timestamp_ms', 'execution_time_ms', 'timestamp', 'end_time_ms'}' attributes support comparison with numeric values.",
    ],
    ["span.foo = 'x'", "Invalid span attribute 'foo'. Supported attributes: name, status, type, attributes.<attribute_name>."],
    ["span.type > 'LLM'", "span.type comparator '>' not one of '{'LIKE', 'ILIKE', 'IN', 'NOT IN', 'RLIKE', '=', '!='}'"],
    ["span.name in ('a')", "span.name comparator 'in' not one of '{'LIKE', 'ILIKE', 'IN', 'NOT IN', 'RLIKE', '=', '!='}'"],
    ["span.content = 'x'", "span.content comparator '=' not one of '{'LIKE', 'ILIKE'}'"],
    ["feedback.q > 'x'", "Expected a numeric value for feedback when using comparator '>'. Got value 'x'"],
    ["feedback.q = 0.5", "Expected a quoted string value for feedback (e.g. 'my-value'). Got value 0.5"],
    [
      "trace.execution_time_ms IN ('a')",
      "Only attributes in {'status', 'request_id', 'run_id', 'client_request_id', 'name'} supports comparison with a list of quoted string values.",
    ],
    ["trace.status IN 'OK'", "Invalid clause(s) in filter string: 'trace.status', 'IN', ''OK''"],
    ["tag.env", "Invalid clause(s) in filter string: 'tag.env'"],
    ["   ", "Invalid filter '   '. Could not be parsed."],
    ["timestamp > 5.5", "Invalid clause(s) in filter string: 'timestamp', '>', '5.5'"],
    ["timestamp_ms = x", "Parameter value is either not quoted or unidentified quote types used for string value x. Use either single or double quotes."],
    [
      "timestamp_ms IN ('1')",
      "Only attributes in {'status', 'request_id', 'run_id', 'client_request_id', 'name'} supports comparison with a list of quoted string values.",
    ],
    ["(tag.env = 'a')", "Invalid clause(s) in filter string: '(tag.env = 'a')'"],
    ["text LIKE '%a%'", "Invalid clause(s) in filter string: 'text', 'LIKE', ''%a%''"],
    ["tag.env = 'a';tag.b = 'c'", "Search filter contained multiple expression \"tag.env = 'a';tag.b = 'c'\". Provide AND-ed expression list."],
    ["trace.request_id IN ()", "While parsing a list in the query, expected a non-empty list of string values, but got empty list"],
    // The SQL store's comparator checks (note the missing closing quote: MLflow's own text).
    ["tag.env > 'x'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'RLIKE', 'IS NULL', 'IS NOT NULL'}"],
    ["metadata.x > 'a'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'RLIKE', 'IS NULL', 'IS NOT NULL'}'"],
    ["trace.status IS NULL", "Invalid comparator 'IS NULL' not one of '{'!=', '=', 'IN', 'NOT IN', 'LIKE', 'ILIKE', 'RLIKE'}'"],
  ])("refuses %s with MLflow's message", (filter, message) => {
    expect(errorOf(filter)).toBe(normalizeSets(message));
  });
});
