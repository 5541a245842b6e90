import { DEFAULT_LINUX_SHELL, DEFAULT_WINDOWS_SHELL, type HealthConfig, type ImageConfig, type ImageOs } from "../image/image.js";
import { exposeText, goQuoted, goSlice, healthcheckText } from "./history-text.js";
import type { Command } from "./instructions.js";

/** What a metadata instruction needs from the build: the config so far and variable expansion. */
export interface MetaContext {
  readonly config: ImageConfig;
  readonly os: ImageOs;
  /** Whether this stage already set CMD (then ENTRYPOINT keeps it). */
  readonly cmdSetHere: boolean;
  expand(text: string): string;
  expandWords(text: string): string[];
  fail(message: string): never;
}

export type MetadataCommand = Exclude<Command, { kind: "run" | "copy" | "add" | "arg" | "workdir" }>;

/**
 * The config change a metadata-only instruction makes, and the history line BuildKit writes for
 * it. These instructions add no layer and no cache step.
 */
export function metadataChange(c: MetadataCommand, ctx: MetaContext): { patch: Partial<ImageConfig>; text: string } {
  const { config } = ctx;
  switch (c.kind) {
    case "label": {
      const labels: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, config.labels);
      const set: string[] = [];
      for (const [k, v] of c.pairs) {
        const [key, value] = [ctx.expand(k), ctx.expand(v)];
        labels[key] = value;
        set.push(`${key}=${value}`);
      }
      return { patch: { labels }, text: `LABEL ${set.join(" ")}` };
    }
    case "maintainer":
      return { patch: { labels: { ...config.labels, maintainer: c.value } }, text: c.text };
    case "expose": {
      const ports = [...config.exposedPorts];
      const mine: string[] = [];
      for (const raw of c.values) {
        for (const p of ctx.expandWords(raw)) {
          const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(p);
          if (!m) ctx.fail(`invalid containerPort: ${p}`);
          const proto = (m[3] ?? "tcp").toLowerCase();
          for (let port = Number(m[1]); port <= Number(m[2] ?? m[1]); port++) {
            if (!ports.includes(`${port}/${proto}`)) ports.push(`${port}/${proto}`);
            if (!mine.includes(`${port}/${proto}`)) mine.push(`${port}/${proto}`);
          }
        }
      }
      return { patch: { exposedPorts: ports }, text: exposeText(mine) };
    }
    case "volume": {
      const vols = [...config.volumes];
      const mine = c.values.map((raw) => ctx.expand(raw));
      for (const v of mine) if (!vols.includes(v)) vols.push(v);
      return { patch: { volumes: vols }, text: `VOLUME ${goSlice(mine)}` };
    }
    case "user": {
      const user = ctx.expand(c.value);
      return { patch: { user }, text: `USER ${user}` };
    }
    case "stopsignal": {
      const signal = ctx.expand(c.value);
      return { patch: { stopSignal: signal }, text: `STOPSIGNAL ${signal}` };
    }
    case "shell":
      return { patch: { shell: c.args }, text: `SHELL ${goSlice(c.args)}` };
    case "cmd":
    case "entrypoint": {
      const shell = config.shell ?? (ctx.os === "windows" ? DEFAULT_WINDOWS_SHELL : DEFAULT_LINUX_SHELL);
      const argv = c.json ? [...c.args] : c.args.length ? [...shell, c.args[0]!] : [];
      if (c.kind === "cmd") return { patch: { cmd: argv }, text: `CMD ${goQuoted(argv)}` };
      // Setting ENTRYPOINT resets a CMD inherited from the base image.
      return { patch: ctx.cmdSetHere ? { entrypoint: argv } : { entrypoint: argv, cmd: null }, text: `ENTRYPOINT ${goQuoted(argv)}` };
    }
    case "healthcheck": {
      const hc: HealthConfig = c.test[0] === "NONE" ? { test: ["NONE"] } : {
        test: c.test, ...(c.interval !== undefined ? { interval: c.interval } : {}), ...(c.timeout !== undefined ? { timeout: c.timeout } : {}),
        ...(c.startPeriod !== undefined ? { startPeriod: c.startPeriod } : {}), ...(c.startInterval !== undefined ? { startInterval: c.startInterval } : {}),
        ...(c.retries !== undefined ? { retries: c.retries } : {}),
      };
      return { patch: { healthcheck: hc }, text: healthcheckText(hc) };
    }
    case "onbuild":
      return { patch: { onBuild: [...config.onBuild, c.expression] }, text: `ONBUILD ${c.expression}` };
    default:
      return ctx.fail(`${c.kind.toUpperCase()} is not a metadata-only instruction`);
  }
}
