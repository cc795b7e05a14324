/**
 * Jinja2's `meta.find_undeclared_variables` on a `@huggingface/jinja` AST, minus `{% set %}`
 * targets (as Haystack's PromptBuilder does): the names a template reads from its context.
 * Loop variables, macro arguments, filter and test names and Jinja globals are not variables.
 */
type Node = { type: string; [key: string]: unknown };

const GLOBALS = new Set(["range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none", "True", "False", "None"]);

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : [];
}

/** Identifier names bound by a loop variable, set target or macro parameter. */
function boundNames(target: unknown): string[] {
  if (!isNode(target)) return [];
  if (target.type === "Identifier") return [String(target["value"])];
  if (target.type === "TupleLiteral" || target.type === "ArrayLiteral") return nodes(target["value"]).flatMap(boundNames);
  if (target.type === "KeywordArgumentExpression") return boundNames(target["key"]);
  return [];
}

class Collector {
  readonly found: string[] = [];
  readonly assigned = new Set<string>();

  visit(node: Node, scope: ReadonlySet<string>): void {
    const walk = (value: unknown, s: ReadonlySet<string> = scope): void => {
      for (const child of nodes(value)) this.visit(child, s);
    };
    const extend = (names: string[]): Set<string> => new Set([...scope, ...names]);
    switch (node.type) {
      case "Identifier": {
        const name = String(node["value"]);
        if (!scope.has(name) && !GLOBALS.has(name) && !this.found.includes(name)) this.found.push(name);
        return;
      }
      case "For": {
        const iterable = node["iterable"];
        if (isNode(iterable) && iterable.type === "SelectExpression") {
          // `for n in nums if n > 2`: the condition sees the loop variables.
          walk(iterable["lhs"]);
          walk(iterable["test"], extend(boundNames(node["loopvar"])));
        } else walk(iterable);
        const inner = extend([...boundNames(node["loopvar"]), "loop"]);
        walk(node["body"], inner);
        walk(node["defaultBlock"]);
        return;
      }
      case "SelectExpression":
        walk(node["lhs"]);
        walk(node["test"]);
        return;
      case "Set": {
        const assignee = node["assignee"];
        for (const name of boundNames(assignee)) this.assigned.add(name);
        if (isNode(assignee) && assignee.type === "MemberExpression") walk(assignee);
        walk(node["value"]);
        walk(node["body"]);
        return;
      }
      case "Macro": {
        const name = node["name"];
        for (const bound of boundNames(name)) this.assigned.add(bound);
        const args = nodes(node["args"]);
        for (const arg of args) if (arg.type === "KeywordArgumentExpression") walk(arg["value"]);
        walk(node["body"], extend([...args.flatMap(boundNames), "varargs", "kwargs", "caller"]));
        return;
      }
      case "CallStatement":
        walk(node["call"]);
        walk(node["body"], extend([...nodes(node["callerArgs"]).flatMap(boundNames)]));
        return;
      case "FilterExpression":
        walk(node["operand"]);
        this.visitFilter(node["filter"], scope);
        return;
      case "FilterStatement":
        this.visitFilter(node["filter"], scope);
        walk(node["body"]);
        return;
      case "TestExpression":
        walk(node["operand"]);
        return;
      case "MemberExpression":
        walk(node["object"]);
        if (node["computed"] === true) walk(node["property"]);
        return;
      case "KeywordArgumentExpression":
        walk(node["value"]);
        return;
      case "BinaryExpression":
        walk(node["left"]);
        walk(node["right"]);
        return;
      case "UnaryExpression":
        walk(node["argument"]);
        return;
      case "ObjectLiteral": {
        const map = node["value"];
        if (map instanceof Map) for (const [key, value] of map) walk([key, value]);
        return;
      }
      default:
        for (const [key, value] of Object.entries(node)) if (key !== "type") walk(value);
    }
  }

  private visitFilter(filter: unknown, scope: ReadonlySet<string>): void {
    if (isNode(filter) && filter.type === "CallExpression") {
      for (const arg of nodes(filter["args"])) this.visit(arg, scope);
    }
  }
}

/**
 * The variables a parsed template reads, in order of first use.
 *
 * @example
 * undeclaredVariables(parse(tokenize("{% for d in docs %}{{ d.content }}{% endfor %}{{ q }}"))); // ["docs", "q"]
 */
export function undeclaredVariables(program: unknown): string[] {
  const collector = new Collector();
  for (const node of nodes(program)) collector.visit(node, new Set());
  return collector.found.filter((name) => !collector.assigned.has(name));
}
