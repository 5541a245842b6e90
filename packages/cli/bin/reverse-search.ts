// Ctrl-R in `drydock shell`'s readline (src/history-search.ts has the search itself). readline
// offers no hook for a key of its own, so its key handler (the internal Symbol(_ttyWrite), which
// its keypress listener calls) is wrapped on this one interface: while a search runs, keys go to
// the search, not to the line editor.
import type { Interface } from "node:readline";
import { ReverseSearch, type SearchView } from "../src/index.js";

interface Key {
  readonly name?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly sequence?: string;
}

type TtyWrite = (s: string | undefined, key: Key | undefined) => void;

interface ReadlineInternals {
  line: string;
  cursor: number;
  history: string[];
}

function symbolNamed(o: object, name: string): symbol | undefined {
  for (let p: object | null = o; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const found = Object.getOwnPropertySymbols(p).find((s) => s.description === name);
    if (found) return found;
  }
  return undefined;
}

/** Installs Ctrl-R; `enabled` says whether the prompt is the shell's own (not a password, not a running line); `prompt` is the shell's prompt. */
export function installReverseSearch(rl: Interface, enabled: () => boolean, prompt: () => string): void {
  const write = symbolNamed(rl, "_ttyWrite");
  const refresh = symbolNamed(rl, "_refreshLine");
  if (write === undefined || refresh === undefined) return; // another Node: no Ctrl-R rather than a broken line editor
  const target = rl as unknown as Record<symbol, unknown> & ReadlineInternals;
  const original = (target[write] as TtyWrite).bind(rl);
  const redraw = () => (target[refresh] as () => void).call(rl);
  let search: ReverseSearch | null = null;

  const show = (v: SearchView) => {
    rl.setPrompt(v.prompt);
    target.line = v.line;
    target.cursor = v.cursor;
    redraw();
  };
  /** Ends the search: the shell's prompt again, with the line found (or the one typed before) to edit. */
  const finish = (line: string) => {
    search = null;
    rl.setPrompt(prompt());
    target.line = line;
    target.cursor = line.length;
    redraw();
  };

  // readline's methods are not writable properties of its prototype: an assignment would be ignored.
  Object.defineProperty(rl, write, { configurable: true, writable: true, value: (s: string | undefined, key: Key | undefined) => {
    if (search === null) {
      if (key?.ctrl === true && key.name === "r" && enabled()) {
        search = new ReverseSearch([...target.history], target.line);
        show(search.view());
        return;
      }
      original(s, key);
      return;
    }
    const active: ReverseSearch = search;
    if (key?.ctrl === true && key.name === "r") return show(active.older());
    // Ctrl-G: bash puts back the line as it was before Ctrl-R.
    if (key?.ctrl === true && key.name === "g") return finish(active.before);
    if (key?.name === "backspace") return show(active.backspace());
    if (key?.ctrl !== true && key?.meta !== true && s !== undefined && s.length === 1 && s >= " " && key?.name !== "escape") return show(active.type(s));
    // Any other key ends the search with the line found; Enter runs it, an arrow or Ctrl-A edits it, Esc just keeps it.
    finish(active.accepted);
    if (key?.name !== "escape") original(s, key);
  } });
}

