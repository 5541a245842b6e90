// `drydock lab`: reads the lab files (@drydock/labs/node) and the keyboard; what to print is
// src/lab.ts's.
import { createInterface } from "node:readline";
import { loadLabs } from "@drydock/labs/node";
import { errorResult } from "../src/index.js";
import { LabWalk, findLab, labCommand, parseLabArgs } from "../src/lab.js";

/** Runs `drydock lab ARGS`; resolves to the exit status. */
export async function runLabCommand(argv: readonly string[]): Promise<number> {
  let walk: LabWalk;
  try {
    const args = parseLabArgs(argv);
    const labs = loadLabs();
    if (args.help || args.check || args.slug === undefined) {
      const r = labCommand(argv, labs);
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      return r.code;
    }
    walk = new LabWalk(findLab(labs, args.slug));
  } catch (e) {
    const r = errorResult(e, "lab");
    process.stderr.write(r.stderr);
    return r.code;
  }
  return interact(walk);
}

/** One line at a time from the keyboard (or a pipe); Ctrl-D or the lab's end leaves. */
async function interact(walk: LabWalk): Promise<number> {
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty, crlfDelay: Infinity });
  process.stdout.write(walk.intro());
  const ask = () => {
    if (tty) {
      rl.setPrompt(walk.prompt());
      rl.prompt();
    } else process.stdout.write(walk.prompt());
  };
  // Ctrl-C at the prompt drops the line being typed, as bash does (nothing runs between lines).
  rl.on("SIGINT", () => {
    (rl as unknown as { line: string }).line = "";
    walk.cancelLine();
    process.stdout.write("^C\n");
    ask();
  });
  ask();
  for await (const line of rl) {
    // Enter alone types the step's command on the prompt's own line, as if the learner had.
    const prompt = walk.prompt();
    const forYou = line.trim() === "" && prompt !== "> ";
    if (tty && forYou) process.stdout.write(`\x1b[1A\r${prompt}`);
    else if (!tty && !forYou) process.stdout.write(line + "\n");
    process.stdout.write(walk.enter(line));
    if (walk.done) break;
    ask();
  }
  rl.close();
  if (!walk.done) process.stdout.write("\n");
  return walk.done ? 0 : 1;
}
