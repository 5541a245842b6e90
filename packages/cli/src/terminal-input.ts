// The terminal's input line (bin/shell.ts drives node's readline): what is typed while a line
// runs is kept by readline and shown after the next prompt (type-ahead). The readline interface is
// described here, not imported: src/ stays free of node's I/O modules (testkit purity.test.ts).

/**
 * Shows the prompt with what was typed meanwhile after it and the cursor where the typing left
 * it, as GNU readline does with type-ahead (QA 2026-12-01 D5): node's `rl.prompt()` puts the
 * cursor at the line's start, so `sleep 2`, typing `echo ab`, then `c` read `cecho ab`.
 */
export function promptAfterTypeAhead(rl: { setPrompt(prompt: string): void; prompt(preserveCursor?: boolean): void }, prompt: string): void {
  rl.setPrompt(prompt);
  rl.prompt(true);
}
