// The evaluator of Go's text/template (src/text/template/exec.go) over the values of value.ts:
// walk, evalPipeline, evalCommand, evalField, evalCall, evalArg, with Go's error texts
// ("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type ...").
import { CallError, type FuncMap, type GoFunc, type Param } from "./funcs.js";
import { formatValue } from "./gofmt.js";
import { type ArgNode, type CommandNode, type ControlNode, type ListNode, type Node, type PipeNode, nodeString } from "./parse.js";
import {
  GoFloat, isExported, isTrue, kindOf, mapEntries, mapGet, mapHasStringKeys, numberOf, structGet, typeName, utf8Bytes,
} from "./value.js";

/** An execution error; its message is Go's. `output` is what was written before it (Go's
 * Execute leaves partial output in the writer; docker's table header relies on that). */
export class ExecFailure extends Error {
  output = "";
}

const MISSING: unique symbol = Symbol("missing"); // Go's missingVal: no value piped in
type Final = unknown;

class Break {}
class Continue {}

export interface ExecOptions {
  /** Go's Option("missingkey=..."): "default" prints <no value>, "error" stops. */
  readonly missingKey?: "default" | "error";
}

export interface Tmpl {
  readonly name: string;
  readonly text: string;
  readonly root: ListNode;
}

/** Go's ErrorContext: "name:line:col" (col in bytes) and the node's text, cut at 20 runes. */
function errorContext(t: Tmpl, n: Node): [string, string] {
  const before = t.text.slice(0, n.pos);
  const nl = before.lastIndexOf("\n");
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const col = utf8Bytes(nl < 0 ? before : before.slice(nl + 1)).length;
  let context = nodeString(n);
  const runes = [...context];
  if (runes.length > 20) context = runes.slice(0, 20).join("") + "...";
  return [`${t.name}:${line}:${col}`, context];
}

export function execute(t: Tmpl, data: unknown, funcs: FuncMap, options: ExecOptions = {}): string {
  const missingKeyError = options.missingKey === "error";
  let out = "";
  let node: Node | undefined;
  let vars: { name: string; value: unknown }[] = [{ name: "$", value: data }];

  const errorf = (msg: string): never => {
    if (node === undefined) throw new ExecFailure(`template: ${t.name}: ${msg}`);
    const [location, context] = errorContext(t, node);
    throw new ExecFailure(`template: ${location}: executing ${JSON.stringify(t.name)} at <${context}>: ${msg}`);
  };
  const at = (n: Node): void => {
    node = n;
  };
  const varValue = (name: string): unknown => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i]!.name === name) return vars[i]!.value;
    return errorf(`undefined variable: ${name}`);
  };
  const setVar = (name: string, value: unknown): void => {
    for (let i = vars.length - 1; i >= 0; i--) {
      if (vars[i]!.name === name) {
        vars[i]!.value = value;
        return;
      }
    }
    errorf(`undefined variable: ${name}`);
  };

  const walk = (dot: unknown, n: Node): void => {
    at(n);
    switch (n.type) {
      case "action": {
        // Variables declared here persist until the enclosing {{end}}; a declaration prints nothing.
        const v = evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) printValue(n, v);
        return;
      }
      case "break":
        throw new Break();
      case "continue":
        throw new Continue();
      case "if":
      case "with": {
        const mark = vars.length;
        const v = evalPipeline(dot, n.pipe);
        if (isTrue(v)) walk(n.type === "with" ? v : dot, n.list);
        else if (n.elseList) walk(dot, n.elseList);
        vars = vars.slice(0, mark);
        return;
      }
      case "list":
        for (const child of n.nodes) walk(dot, child);
        return;
      case "range":
        walkRange(dot, n);
        return;
      case "text":
        out += n.text;
        return;
      default:
        errorf(`unknown node: ${nodeString(n)}`);
    }
  };

  const walkRange = (dot: unknown, r: ControlNode): void => {
    at(r);
    const outer = vars.length;
    const val = evalPipeline(dot, r.pipe);
    const mark = vars.length; // top of stack before any variables in the body are pushed
    const decl = r.pipe.decl;
    const oneIteration = (index: unknown, elem: unknown): void => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
        else vars[vars.length - 1]!.value = elem; // the top variable (lexically the second) gets the element
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) setVar(decl[1]!.ident[0]!, elem);
        else vars[vars.length - 2]!.value = index;
      }
      try {
        walk(elem, r.list);
      } catch (e) {
        if (!(e instanceof Continue)) throw e;
      } finally {
        vars = vars.slice(0, mark);
      }
    };
    let ran = false;
    try {
      switch (kindOf(val)) {
        case "slice":
          (val as unknown[]).forEach((elem, i) => oneIteration(i, elem));
          ran = (val as unknown[]).length > 0;
          break;
        case "map":
          for (const [k, v] of mapEntries(val)) {
            oneIteration(k, v);
            ran = true;
          }
          break;
        case "int":
          // Go ≥ 1.22 ranges over an integer n: 0, 1, ..., n-1.
          if (decl.length > 1) errorf(`can't use ${formatValue(val, "v")} to iterate over more than one variable`);
          for (let i = 0; i < numberOf(val); i++) {
            oneIteration(undefined, i);
            ran = true;
          }
          break;
        case "nil":
          break; // an invalid value acts like an empty map
        default:
          errorf(`range can't iterate over ${formatValue(val, "v")}`);
      }
    } catch (e) {
      if (!(e instanceof Break)) throw e;
      ran = true;
    }
    if (!ran && r.elseList) walk(dot, r.elseList);
    vars = vars.slice(0, outer);
  };

  const printValue = (n: Node, v: unknown): void => {
    at(n);
    if (kindOf(v) === "nil") out += "<no value>";
    else if (kindOf(v) === "func") errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    else out += formatValue(v, "v");
  };

  const evalPipeline = (dot: unknown, pipe: PipeNode): unknown => {
    at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) setVar(v.ident[0]!, value);
      else vars.push({ name: v.ident[0]!, value });
    }
    return value;
  };

  const notAFunction = (args: readonly ArgNode[], final: Final): void => {
    if (args.length > 1 || final !== MISSING) errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  };

  const evalCommand = (dot: unknown, cmd: CommandNode, final: Final): unknown => {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        at(first);
        return evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case "chain":
        return evalChain(dot, first, cmd.args, final);
      case "identifier":
        return evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        notAFunction(cmd.args, final);
        return evalPipeline(dot, first);
      case "variable":
        return evalVariable(dot, first, cmd.args, final);
    }
    at(first);
    notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return errorf("nil is not a command");
      case "number":
        return idealConstant(first);
      case "string":
        return first.text;
    }
  };

  const idealConstant = (n: Extract<ArgNode, { type: "number" }>): unknown => {
    at(n);
    // Go: the syntax decides; "1.0" and "1e3" are float64, "1" and 'a' are int.
    if (n.isFloat && !/^[+-]?0[xX]/.test(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return new GoFloat(n.value);
    if (n.isInt) return n.value;
    return errorf(`${n.text} overflows int`);
  };

  const evalChain = (dot: unknown, chain: Extract<ArgNode, { type: "chain" }>, args: readonly ArgNode[], final: Final): unknown => {
    at(chain);
    if (chain.node.type === "nil") errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = evalArg(dot, "any", chain.node);
    return evalFieldChain(dot, receiver, chain, chain.field, args, final);
  };

  const evalVariable = (dot: unknown, v: Extract<ArgNode, { type: "variable" }>, args: readonly ArgNode[], final: Final): unknown => {
    at(v);
    const value = varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      notAFunction(args, final);
      return value;
    }
    return evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  };

  const evalFieldChain = (dot: unknown, receiver: unknown, n: Node, ident: readonly string[], args: readonly ArgNode[], final: Final): unknown => {
    for (let i = 0; i < ident.length - 1; i++) receiver = evalField(dot, ident[i]!, n, [], MISSING, receiver);
    return evalField(dot, ident[ident.length - 1]!, n, args, final, receiver);
  };

  const evalField = (dot: unknown, name: string, n: Node, args: readonly ArgNode[], final: Final, receiver: unknown): unknown => {
    const kind = kindOf(receiver);
    if (kind === "nil") {
      if (missingKeyError) errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (kind === "struct") {
      const [found, value] = structGet(receiver, name);
      if (found) {
        if (!isExported(name)) errorf(`${name} is an unexported field of struct type ${typeName(receiver)}`);
        if (typeof value === "function") return evalCall(dot, methodOf(value as (...a: unknown[]) => unknown, receiver), false, n, name, args, final);
        if (hasArgs) errorf(`${name} has arguments but cannot be invoked as function`);
        return value;
      }
    } else if (kind === "map" && mapHasStringKeys(receiver)) {
      if (hasArgs) errorf(`${name} is not a method but has arguments`);
      const [found, value] = mapGet(receiver, name);
      if (!found && missingKeyError) errorf(`map has no entry for key ${JSON.stringify(name)}`);
      return found ? value : undefined;
    }
    return errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  };

  const evalFunction = (dot: unknown, n: Extract<ArgNode, { type: "identifier" }>, cmd: Node, args: readonly ArgNode[], final: Final): unknown => {
    at(n);
    const fn = funcs.get(n.ident);
    if (fn === undefined) return errorf(`${JSON.stringify(n.ident)} is not a defined function`);
    return evalCall(dot, fn, true, cmd, n.ident, args, final);
  };

  // Go's evalCall: check the number of arguments, evaluate them against the parameter types,
  // add the piped value last, call; an error the function returns becomes "error calling X: ...".
  const evalCall = (dot: unknown, fn: GoFunc, isBuiltin: boolean, n: Node, name: string, argNodes: readonly ArgNode[], final: Final): unknown => {
    const args = argNodes.slice(1); // the zeroth is the function itself
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.variadic !== undefined ? fn.params.length : args.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    // The builtins and/or short-circuit: the first false (and) or true (or) argument, else the last.
    if (isBuiltin && (name === "and" || name === "or")) {
      let v: unknown;
      for (const a of args) {
        v = evalArg(dot, "any", a);
        if (isTrue(v) === (name === "or")) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(evalArg(dot, fn.params[i]!, args[i]!));
    for (; i < args.length; i++) argv.push(evalArg(dot, fn.variadic!, args[i]!));
    if (final !== MISSING) {
      const t = fn.variadic !== undefined && numIn - 1 >= numFixed ? fn.variadic : fn.params[numIn - 1] ?? fn.variadic!;
      argv.push(validateType(final, t));
    }
    try {
      return fn.call(argv);
    } catch (e) {
      if (e instanceof ExecFailure) throw e;
      at(n);
      return errorf(`error calling ${name}: ${e instanceof CallError ? e.message : String((e as Error)?.message ?? e)}`);
    }
  };

  // Go's validateType, for the parameter kinds our functions declare.
  const validateType = (value: unknown, typ: Param): unknown => {
    const k = kindOf(value);
    if (typ === "any") return value;
    if (k === "nil") {
      if (typ === "strings") return [];
      return errorf(`invalid value; expected ${typ === "int" ? "int" : "string"}`);
    }
    if (typ === "string" && k !== "string") errorf(`wrong type for value; expected string; got ${typeName(value)}`);
    if (typ === "int" && k !== "int") errorf(`wrong type for value; expected int; got ${typeName(value)}`);
    if (typ === "strings" && !(k === "slice" && (value as unknown[]).every((x) => typeof x === "string"))) {
      errorf(`wrong type for value; expected []string; got ${typeName(value)}`);
    }
    return value;
  };

  const evalArg = (dot: unknown, typ: Param, n: ArgNode): unknown => {
    at(n);
    switch (n.type) {
      case "dot":
        return validateType(dot, typ);
      case "nil":
        if (typ === "any" || typ === "strings") return typ === "strings" ? [] : undefined;
        return errorf(`cannot assign nil to ${typ === "int" ? "int" : "string"}`);
      case "field":
        return validateType(evalFieldChain(dot, dot, n, n.ident, [n], MISSING), typ);
      case "variable":
        return validateType(evalVariable(dot, n, [], MISSING), typ);
      case "pipe":
        return validateType(evalPipeline(dot, n), typ);
      case "identifier":
        return validateType(evalFunction(dot, n, n, [], MISSING), typ);
      case "chain":
        return validateType(evalChain(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case "any":
        if (n.type === "number") return idealConstant(n);
        return n.type === "bool" ? n.value : n.text;
      case "string":
        if (n.type === "string") return n.text;
        return errorf(`expected string; found ${nodeString(n)}`);
      case "int":
        if (n.type === "number" && n.isInt) return n.value;
        return errorf(`expected integer; found ${nodeString(n)}`);
      case "strings":
        return errorf(`can't handle ${nodeString(n)} for arg of type []string`);
    }
  };

  // A struct's function-valued property is a method: its parameters are interface{}.
  const methodOf = (f: (...a: unknown[]) => unknown, receiver: unknown): GoFunc => ({
    params: Array.from({ length: f.length }, () => "any" as const),
    call: (a) => f.apply(receiver, a),
  });

  try {
    walk(data, t.root);
  } catch (e) {
    if (e instanceof ExecFailure) e.output = out;
    throw e;
  }
  return out;
}
