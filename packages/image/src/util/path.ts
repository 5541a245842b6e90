/** POSIX path helpers for the simulated filesystems (always absolute, "/"-separated). */
/** Already clean: absolute, no empty, "." or ".." parts, no trailing slash. */
const CLEAN = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

export function normalizePath(path: string, cwd = "/"): string {
  if (path === "/" || CLEAN.test(path)) return path;
  const joined = path.startsWith("/") ? path : `${cwd.replace(/\/+$/, "")}/${path}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Ancestors from the nearest parent up to (not including) "/". */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = dirname(path);
  while (p !== "/") {
    out.push(p);
    p = dirname(p);
  }
  return out;
}

export function isUnder(path: string, dir: string): boolean {
  return dir === "/" ? path !== "/" : path.startsWith(`${dir}/`);
}

export function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/**
 * Go's filepath.Match plus `**` (any number of path elements), as Dockerfile COPY sources and
 * .dockerignore patterns use them.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith("^") || cls.startsWith("!")) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (ch === "\\" && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * A Windows container path (`C:\app\`, `c:/app`, `\app`) as the simulated filesystem's POSIX path:
 * BuildKit's system.NormalizePath drops the system drive and turns backslashes into slashes.
 */
export function windowsToPosix(path: string): string {
  return path.replace(/^[a-zA-Z]:/, "").replace(/\\/g, "/") || "/";
}
