// The parse tree of Go's text/template (src/text/template/parse/node.go) and each node's
// String(), which Go's errors quote ("executing \"\" at <.Config.Foo>").
export type ArgNode =
  | { type: "field"; pos: number; ident: string[] }
  | { type: "variable"; pos: number; ident: string[] }
  | { type: "chain"; pos: number; node: ArgNode; field: string[] }
  | { type: "identifier"; pos: number; ident: string }
  | { type: "dot"; pos: number }
  | { type: "nil"; pos: number }
  | { type: "bool"; pos: number; value: boolean }
  | { type: "number"; pos: number; text: string; isInt: boolean; isFloat: boolean; value: number }
  | { type: "string"; pos: number; quoted: string; text: string }
  | PipeNode;

export interface PipeNode {
  type: "pipe";
  pos: number;
  line: number;
  isAssign: boolean;
  decl: { type: "variable"; pos: number; ident: string[] }[];
  cmds: CommandNode[];
}

export interface CommandNode {
  type: "command";
  pos: number;
  args: ArgNode[];
}

export interface ListNode {
  type: "list";
  pos: number;
  nodes: Node[];
}

export type ControlNode = { type: "if" | "with" | "range"; pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | undefined };

export type Node =
  | { type: "text"; pos: number; text: string }
  | { type: "action"; pos: number; line: number; pipe: PipeNode }
  | ControlNode
  | { type: "break" | "continue" | "end" | "else"; pos: number; line: number }
  | ListNode
  | CommandNode
  | ArgNode;

/** Go's Node.String(): the template text a node stands for. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "text":
      return n.text;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "if":
    case "with":
    case "range": {
      const body = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      return body + (n.elseList ? `{{else}}${nodeString(n.elseList)}` : "") + "{{end}}";
    }
    case "break":
    case "continue":
    case "end":
    case "else":
      return `{{${n.type}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "pipe": {
      const decl = n.decl.length > 0 ? n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ") : "";
      return decl + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "field":
      return n.ident.map((id) => "." + id).join("");
    case "variable":
      return n.ident.join(".");
    case "chain":
      return (n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => "." + f).join("");
    case "identifier":
      return n.ident;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.value);
    case "number":
      return n.text;
    case "string":
      return n.quoted;
  }
}

