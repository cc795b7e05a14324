/**
 * Reads a function's parameter names once, when it is wrapped, so traced inputs can be named
 * like MLflow's bound arguments. Destructured parameters have no name (`null`).
 */

export interface ParamInfo {
  /** One entry per declared parameter: its name, or null when destructured. */
  readonly names: readonly (string | null)[];
  /** Index of a `...rest` parameter, or -1. */
  readonly restIndex: number;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const NONE: ParamInfo = { names: [], restIndex: -1 };

export function readParamNames(fn: Function): ParamInfo {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return NONE;
  }
  const list = paramListSource(source);
  if (list === undefined) return NONE;
  const names: (string | null)[] = [];
  let restIndex = -1;
  for (const raw of splitTopLevel(list)) {
    let param = stripDefault(raw).trim();
    if (param === "") continue;
    if (param.startsWith("...")) {
      restIndex = names.length;
      param = param.slice(3).trim();
    }
    names.push(IDENT.test(param) ? param : null);
  }
  return { names, restIndex };
}

function paramListSource(source: string): string | undefined {
  const arrow = /^(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (arrow) return arrow[1];
  const open = source.indexOf("(");
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    } else if (ch === '"' || ch === "'" || ch === "`") {
      i = skipString(source, i);
    }
  }
  return undefined;
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === '"' || ch === "'" || ch === "`") i = skipString(list, i);
    else if (ch === "," && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map(stripComments);
}

function stripComments(part: string): string {
  return part.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

function stripDefault(param: string): string {
  let depth = 0;
  for (let i = 0; i < param.length; i++) {
    const ch = param[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "=" && depth === 0 && param[i + 1] !== ">") return param.slice(0, i);
  }
  return param;
}

/**
 * Names a call's arguments: `{ a: 1, b: 2 }` for `f(a, b)`; a single destructured object argument
 * is used as is; unnamed or extra arguments become `arg<i>`; a rest parameter collects an array.
 */
export function nameArguments(info: ParamInfo, args: readonly unknown[]): unknown {
  if (args.length === 0) return {};
  const { names, restIndex } = info;
  if (names.length === 1 && names[0] === null && restIndex < 0 && args.length === 1) {
    const only = args[0];
    if (typeof only === "object" && only !== null && !Array.isArray(only)) return only;
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    if (i === restIndex) {
      out[names[i] ?? `arg${i}`] = args.slice(i);
      break;
    }
    out[names[i] ?? `arg${i}`] = args[i];
  }
  return out;
}
