/**
 * `@huggingface/jinja`'s interpreter with Python Jinja2's output and `Undefined`: `{{ x }}` prints
 * Python's `str()`, and an undefined value prints as nothing, iterates as empty and is false, but
 * reading from it, calling it or computing with it raises `UndefinedError` with Jinja2's message.
 * The library's evaluation methods are private, so they are replaced on the prototype; each
 * sub-expression is evaluated once and handed back as an already evaluated node.
 */
import { Environment, Interpreter } from "@huggingface/jinja";
import { pythonStr } from "./jinja-python-output";
import { failUndefined, isExplained, isUndefined, undefinedMember, undefinedVariable } from "./jinja-undefined";
import { filterOnUndefined } from "./jinja-undefined-operands";

type Value = { type: string; value: unknown; toString(): string };
type AstNode = { type: string; [key: string]: unknown };
type Method = (this: Self, node: AstNode | undefined, env: unknown) => Value;
type Self = { evaluate(statement: AstNode, env: unknown): Value };

const STATEMENTS = new Set(["Program", "If", "For", "Break", "Continue", "Set", "Macro", "Comment", "FilterStatement", "CallStatement"]);
const EVALUATED = "__EvaluatedValue";

function runtimeValue(js: unknown): Value {
  const env = new Environment();
  env.set("v", js);
  return env.variables.get("v") as unknown as Value;
}
const ctorOf = (js: unknown): new (value: never) => Value => runtimeValue(js).constructor as new (value: never) => Value;
const StringValue = ctorOf("") as unknown as new (value: string) => Value;
const ArrayValue = ctorOf([]) as unknown as new (value: Value[]) => Value;
const BooleanValue = ctorOf(true) as unknown as new (value: boolean) => Value;
const EMPTY = { text: new StringValue(""), list: new ArrayValue([]) };

/** A node standing for a value already computed, so the library's method does not evaluate it again. */
const evaluated = (value: Value): AstNode => ({ type: EVALUATED, value });

const FILTER_NAME = (filter: AstNode): string | undefined => {
  const callee = filter.type === "CallExpression" ? (filter["callee"] as AstNode) : filter;
  return callee.type === "Identifier" ? String(callee["value"]) : undefined;
};

/** Prints `{{ expr }}` values the way Python's `str()` does and gives undefined values Jinja2's semantics. */
export class PythonInterpreter extends Interpreter {}

const proto = Interpreter.prototype as unknown as Record<string, Method>;
const own = PythonInterpreter.prototype as unknown as Record<string, unknown>;
const original = (name: string): Method => {
  const method = proto[name];
  if (typeof method !== "function") throw new Error(`@huggingface/jinja has no Interpreter.${name}: the pinned version changed.`);
  return method;
};
const evaluate = original("evaluate");
const evaluateIdentifier = original("evaluateIdentifier");
const evaluateMember = original("evaluateMemberExpression");
const evaluateCall = original("evaluateCallExpression");
const evaluateBinary = original("evaluateBinaryExpression");
const evaluateUnary = original("evaluateUnaryExpression");
const evaluateFor = original("evaluateFor");
const applyFilter = original("applyFilter") as unknown as (this: Self, operand: Value, filter: AstNode, env: unknown) => Value;

own["evaluate"] = function (this: Self, node: AstNode | undefined, env: unknown): Value {
  return node?.type === EVALUATED ? (node["value"] as Value) : evaluate.call(this, node, env);
};

own["evaluateBlock"] = function (this: Self, statements: AstNode[], env: unknown): Value {
  let result = "";
  for (const statement of statements) {
    const value = this.evaluate(statement, env);
    if (STATEMENTS.has(statement.type)) {
      if (value.type !== "NullValue" && value.type !== "UndefinedValue") result += value.toString();
    } else {
      result += pythonStr(value) ?? "";
    }
  }
  return new StringValue(result);
};

own["evaluateIdentifier"] = function (this: Self, node: AstNode, env: unknown): Value {
  const value = evaluateIdentifier.call(this, node, env);
  return isUndefined(value) && !isExplained(value) ? undefinedVariable(String(node["value"])) : value;
};

own["evaluateMemberExpression"] = function (this: Self, node: AstNode, env: unknown): Value {
  const object = this.evaluate(node["object"] as AstNode, env);
  if (isUndefined(object)) failUndefined(object);
  const propertyNode = node["property"] as AstNode;
  if (node["computed"] === true && propertyNode.type === "SliceExpression") {
    return evaluateMember.call(this, { ...node, object: evaluated(object) }, env);
  }
  const property = node["computed"] === true ? this.evaluate(propertyNode, env) : runtimeValue(propertyNode["value"]);
  const keyed = object.type === "ObjectValue" || object.type === "NamespaceValue";
  const indexed = object.type === "ArrayValue" || object.type === "StringValue";
  // Python looks a key of any type up and finds nothing where the library refuses the type.
  const lookable = keyed
    ? property.type === "StringValue"
    : indexed
      ? property.type === "StringValue" || property.type === "IntegerValue"
      : property.type === "StringValue";
  if (!lookable) return undefinedMember(object, property);
  const value = evaluateMember.call(this, { ...node, object: evaluated(object), property: evaluated(property), computed: true }, env);
  return isUndefined(value) ? undefinedMember(object, property) : value;
};

own["evaluateCallExpression"] = function (this: Self, node: AstNode, env: unknown): Value {
  const callee = this.evaluate(node["callee"] as AstNode, env);
  if (isUndefined(callee)) failUndefined(callee);
  return evaluateCall.call(this, { ...node, callee: evaluated(callee) }, env);
};

own["evaluateBinaryExpression"] = function (this: Self, node: AstNode, env: unknown): Value {
  const operator = String((node["operator"] as AstNode)["value"]);
  if (operator === "and" || operator === "or") return evaluateBinary.call(this, node, env);
  const left = this.evaluate(node["left"] as AstNode, env);
  const right = this.evaluate(node["right"] as AstNode, env);
  if (!isUndefined(left) && !isUndefined(right)) return evaluateBinary.call(this, { ...node, left: evaluated(left), right: evaluated(right) }, env);
  switch (operator) {
    case "==":
    case "!=":
      // Undefined.__eq__ is equality of types: one Undefined equals another, nothing else.
      return new BooleanValue((isUndefined(left) && isUndefined(right)) === (operator === "=="));
    case "~":
      return new StringValue((pythonStr(left) ?? "") + (pythonStr(right) ?? ""));
    case "in":
    case "not in":
      return new BooleanValue(contains(right) === (operator === "in"));
    default:
      return failUndefined(isUndefined(left) ? left : right);
  }
};

/** Python's `left in right` with an Undefined on either side (iterating an Undefined yields nothing). */
function contains(right: Value): boolean {
  if (isUndefined(right)) return false;
  if (right.type === "StringValue") throw new TypeError("'in <string>' requires string as left operand, not Undefined");
  if (right.type === "ArrayValue" || right.type === "TupleValue") return (right.value as Value[]).some((item) => isUndefined(item));
  return false;
}

own["evaluateUnaryExpression"] = function (this: Self, node: AstNode, env: unknown): Value {
  const argument = this.evaluate(node["argument"] as AstNode, env);
  if (isUndefined(argument) && String((node["operator"] as AstNode)["value"]) !== "not") failUndefined(argument);
  return evaluateUnary.call(this, { ...node, argument: evaluated(argument) }, env);
};

own["evaluateFor"] = function (this: Self, node: AstNode, env: unknown): Value {
  const iterableNode = node["iterable"] as AstNode;
  const select = iterableNode.type === "SelectExpression";
  const source = this.evaluate((select ? iterableNode["lhs"] : iterableNode) as AstNode, env);
  const items = evaluated(isUndefined(source) ? EMPTY.list : source);
  return evaluateFor.call(this, { ...node, iterable: select ? { ...iterableNode, lhs: items } : items }, env);
};

own["applyFilter"] = function (this: Self, operand: Value, filter: AstNode, env: unknown): Value {
  const name = FILTER_NAME(filter);
  if (name === undefined || !isUndefined(operand)) return applyFilter.call(this, operand, filter, env);
  const instead = filterOnUndefined(name, operand, EMPTY);
  return "result" in instead ? instead.result : applyFilter.call(this, instead.operand, filter, env);
};
