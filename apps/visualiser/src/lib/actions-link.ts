import type { Action, LoggedAction } from "@drydock/kernel";

// A link's action log as base64url JSON, apart from url.ts so that Node code (the benches) can
// encode a link without the lab catalogue, which only Vite can bundle (import.meta.glob).

/** Most actions a link may carry: each is an event to replay. */
export const ACTIONS_MAX = 10_000;

export function encodeActions(actions: readonly { readonly index: number; readonly at: number; readonly action: unknown }[]): string {
  if (actions.length === 0) return "";
  const json = JSON.stringify(actions.map((a) => [a.index, a.at, a.action]));
  const bytes = new TextEncoder().encode(json);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeActions(text: string): LoggedAction[] {
  if (text === "") return [];
  let json: string;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    json = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new Error("the action log is not valid base64url text");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("the action log is not valid JSON");
  }
  if (!Array.isArray(raw)) throw new Error("the action log is not a list");
  if (raw.length > ACTIONS_MAX) throw new Error(`the action log has ${raw.length.toLocaleString("en")} actions, more than the ${ACTIONS_MAX.toLocaleString("en")} a link may carry`);
  let last = -1;
  return raw.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length !== 3) throw new Error(`action ${i + 1} is malformed`);
    const [index, at, action] = entry as [unknown, unknown, unknown];
    if (!Number.isSafeInteger(index) || (index as number) < last || !Number.isSafeInteger(at) || (at as number) < 0) {
      throw new Error(`action ${i + 1} has a bad position`);
    }
    if (action === null || typeof action !== "object" || typeof (action as { type?: unknown }).type !== "string") {
      throw new Error(`action ${i + 1} has no type`);
    }
    last = index as number;
    return { index: index as number, at: at as number, action: action as Action };
  });
}
