import { DrydockError } from "@drydock/kernel";

/**
 * Splits a command line into words as a POSIX shell does for simple commands: single quotes
 * keep everything, double quotes keep all but \" and \\, a backslash escapes the next
 * character, unquoted whitespace separates. `#` at the start of a word starts a comment.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new DrydockError("EQUOTE", "unexpected EOF while looking for matching `''", { line: 1, column: i + 1 });
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && (line[j + 1] === '"' || line[j + 1] === "\\" || line[j + 1] === "$")) j++;
        word += line[j];
      }
      if (j >= line.length) throw new DrydockError("EQUOTE", 'unexpected EOF while looking for matching `"\'', { line: 1, column: i + 1 });
      inWord = true;
      i = j;
    } else if (c === "\\") {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "#" && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
