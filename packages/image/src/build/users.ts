import type { UnionFS } from "../layers/union.js";

/** Resolves "user[:group]" against the image's /etc/passwd and /etc/group, as runc does. */
export function resolveUser(fs: UnionFS, spec: string): { uid: number; gid: number } | { error: string } {
  if (spec === "") return { uid: 0, gid: 0 };
  const [u = "", g] = spec.split(":");
  const passwd = (fs.readText("/etc/passwd") ?? "").split("\n").map((l) => l.split(":"));
  const groups = (fs.readText("/etc/group") ?? "").split("\n").map((l) => l.split(":"));
  let uid: number;
  let gid: number;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const row = passwd.find((r) => r[2] === u);
    gid = row ? Number(row[3]) : 0;
  } else {
    const row = passwd.find((r) => r[0] === u);
    if (!row) return { error: `unable to find user ${u}: no matching entries in passwd file` };
    uid = Number(row[2]);
    gid = Number(row[3]);
  }
  if (g !== undefined && g !== "") {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const row = groups.find((r) => r[0] === g);
      if (!row) return { error: `unable to find group ${g}: no matching entries in group file` };
      gid = Number(row[2]);
    }
  }
  return { uid, gid };
}
