// The parser of Go's text/template (src/text/template/parse/parse.go): the same grammar, the
// same checks at parse time (undefined variables and functions, empty pipelines,
// non-executable pipeline stages, {{break}} outside {{range}}), the same error texts.
// Not supported: {{define}}, {{template}} and {{block}} (docker --format has no use for them).
import { goQuote } from "./gofmt.js";
import { type Item, type ItemType, itemString, lex } from "./lex.js";
import { newNumber, unquote } from "./literals.js";
import { type ArgNode, type CommandNode, type ControlNode, type ListNode, type Node, type PipeNode, nodeString } from "./nodes.js";

export { type ArgNode, type CommandNode, type ControlNode, type ListNode, type Node, type PipeNode, nodeString };

/** A parse error; its message is Go's ("template: :1: unexpected ..."). */
export class ParseFailure extends Error {}

/** Parses a template; `hasFunction` tells which identifiers are functions (checked as Go does). */
export function parse(text: string, hasFunction: (name: string) => boolean, name = ""): ListNode {
  const items = lex(text);
  let i = 0; // next item to read
  let hi = 0; // items read from the lexer so far (Go's t.token[0] is the last of them)
  let vars: string[] = ["$"];
  let actionLine = 0;
  let rangeDepth = 0;

  const at = (k: number): Item => items[Math.min(k, items.length - 1)]!;
  const next = (): Item => {
    const it = at(i++);
    hi = Math.max(hi, i);
    return it;
  };
  const backup = (n = 1): void => {
    i -= n;
  };
  const peek = (): Item => {
    hi = Math.max(hi, i + 1);
    return at(i);
  };
  const nextNonSpace = (): Item => {
    let t = next();
    while (t.typ === "space") t = next();
    return t;
  };
  const peekNonSpace = (): Item => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const errorf = (msg: string): never => {
    throw new ParseFailure(`template: ${name}:${at(hi - 1).line}: ${msg}`);
  };
  const unexpected = (token: Item, context: string): never => {
    if (token.typ === "error") {
      let extra = "";
      if (actionLine !== 0 && actionLine !== token.line) {
        extra = ` in action started at ${name}:${actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      return errorf(token.val + extra);
    }
    return errorf(`unexpected ${itemString(token)} in ${context}`);
  };
  const expect = (typ: ItemType, context: string): Item => {
    const t = nextNonSpace();
    if (t.typ !== typ) unexpected(t, context);
    return t;
  };

  const itemList = (): [ListNode, Node] => {
    const list: ListNode = { type: "list", pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().typ !== "eof") {
      const n = textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    return errorf("unexpected EOF");
  };

  const textOrAction = (): Node => {
    const token = nextNonSpace();
    if (token.typ === "text") return { type: "text", pos: token.pos, text: token.val };
    if (token.typ === "leftDelim") {
      actionLine = token.line;
      try {
        return action();
      } finally {
        actionLine = 0;
      }
    }
    return unexpected(token, "input");
  };

  const action = (): Node => {
    const token = nextNonSpace();
    switch (token.typ) {
      case "else":
        return elseControl();
      case "end":
        return { type: "end", pos: expect("rightDelim", "end").pos, line: token.line };
      case "if":
      case "range":
      case "with":
        return control(token.typ);
      case "break":
      case "continue": {
        const t = nextNonSpace();
        if (t.typ !== "rightDelim") unexpected(t, `{{${token.typ}}}`);
        if (rangeDepth === 0) errorf(`{{${token.typ}}} outside {{range}}`);
        return { type: token.typ, pos: token.pos, line: token.line };
      }
      case "block":
      case "define":
      case "template":
        return errorf(`{{${token.typ}}} is not supported by drydock`);
    }
    backup();
    const p = peek();
    return { type: "action", pos: p.pos, line: p.line, pipe: pipeline("command", "rightDelim") };
  };

  const elseControl = (): Node => {
    const p = peekNonSpace();
    // "{{else if ...}}" and "{{else with ...}}" are "{{else}}{{if ...}}": return the else here.
    if (p.typ === "if" || p.typ === "with") return { type: "else", pos: p.pos, line: p.line };
    const t = expect("rightDelim", "else");
    return { type: "else", pos: t.pos, line: t.line };
  };

  const control = (context: "if" | "range" | "with"): ControlNode => {
    const mark = vars.length;
    try {
      const pipe = pipeline(context, "rightDelim");
      if (context === "range") rangeDepth++;
      let [list, nextNode] = itemList();
      if (context === "range") rangeDepth--;
      let elseList: ListNode | undefined;
      if (nextNode.type === "else") {
        const follow = peek().typ;
        if ((context === "if" && follow === "if") || (context === "with" && follow === "with")) {
          next();
          elseList = { type: "list", pos: nextNode.pos, nodes: [control(context)] };
        } else {
          [elseList, nextNode] = itemList();
          if (nextNode.type !== "end") errorf(`expected end; found ${nodeString(nextNode)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      vars = vars.slice(0, mark);
    }
  };

  const pipeline = (context: string, end: ItemType): PipeNode => {
    const token = peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = peekNonSpace();
      if (v.typ !== "variable") break;
      const variableAt = i;
      next();
      peek(); // Go reads the token after the variable (it may be a space) before deciding
      const nxt = peekNonSpace();
      if (nxt.typ === "assign" || nxt.typ === "declare") {
        pipe.isAssign = nxt.typ === "assign";
        nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") });
        vars.push(v.val);
      } else if (nxt.typ === "char" && nxt.val === ",") {
        nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") });
        vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const t = peekNonSpace().typ;
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue decls;
          errorf("range can only initialize variables");
        }
        errorf(`too many declarations in ${context}`);
      } else {
        // "$x foo" or "$x}}": $x is an operand, not a declaration. Push it back.
        i = variableAt;
      }
      break;
    }
    for (;;) {
      const t = nextNonSpace();
      if (t.typ === end) {
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case "bool": case "charConstant": case "complex": case "dot": case "field": case "identifier":
        case "number": case "nil": case "rawString": case "string": case "variable": case "leftParen":
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  };

  const checkPipeline = (pipe: PipeNode, context: string): void => {
    if (pipe.cmds.length === 0) errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, k) => {
      const t = c.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        errorf(`non executable command in pipeline stage ${k + 2}`);
      }
    });
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: "command", pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op !== undefined) cmd.args.push(op);
      const t = next();
      if (t.typ === "space") continue;
      if (t.typ === "rightDelim" || t.typ === "rightParen") backup();
      else if (t.typ !== "pipe") unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) errorf("empty command");
    return cmd;
  };

  const operand = (): ArgNode | undefined => {
    const node = term();
    if (node === undefined || peek().typ !== "field") return node;
    const chainPos = peek().pos;
    const fields: string[] = [];
    while (peek().typ === "field") fields.push(next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos: chainPos, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos: chainPos, ident: [...node.ident, ...fields] };
      case "bool": case "string": case "number": case "nil": case "dot":
        return errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      default:
        return { type: "chain", pos: chainPos, node, field: fields };
    }
  };

  const term = (): ArgNode | undefined => {
    const t = nextNonSpace();
    switch (t.typ) {
      case "identifier":
        if (!hasFunction(t.val)) errorf(`function ${goQuote(t.val)} not defined`);
        return { type: "identifier", pos: t.pos, ident: t.val };
      case "dot":
        return { type: "dot", pos: t.pos };
      case "nil":
        return { type: "nil", pos: t.pos };
      case "variable": {
        const ident = t.val.split(".");
        if (!vars.includes(ident[0]!)) errorf(`undefined variable ${goQuote(ident[0]!)}`);
        return { type: "variable", pos: t.pos, ident };
      }
      case "field":
        return { type: "field", pos: t.pos, ident: t.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: t.pos, value: t.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        try {
          return newNumber(t.pos, t.val, t.typ);
        } catch (e) {
          return errorf((e as Error).message);
        }
      case "leftParen":
        return pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        try {
          return { type: "string", pos: t.pos, quoted: t.val, text: unquote(t.val) };
        } catch (e) {
          return errorf((e as Error).message);
        }
    }
    backup();
    return undefined;
  };

  const root: ListNode = { type: "list", pos: peek().pos, nodes: [] };
  while (peek().typ !== "eof") {
    const n = textOrAction();
    if (n.type === "end" || n.type === "else") errorf(`unexpected ${nodeString(n)}`);
    root.nodes.push(n);
  }
  return root;
}
