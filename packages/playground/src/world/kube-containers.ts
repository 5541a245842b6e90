import { DrydockError, type SimContext } from "@drydock/kernel";
import { Daemon, enginePull, foreverPlan, openStore, type EngineState, type ProgramResolver } from "@drydock/engine";
import { base64Decode, type ContainerExit, type KubeStore, type Pod } from "@drydock/kube";
import { mkdir, writeFile } from "../fs/index.js";
import { createImage, createLayer, emptyConfig, opaqueFile, type RegistryHub } from "@drydock/image";
import type { WorldMessage, WorldState } from "./state.js";
import { runtimeOf, setHost, settle } from "./ops.js";

/**
 * The kubelet's pods as containers of its host's engine, named and labelled as dockershim named
 * them (pkg/kubelet/dockershim/naming.go: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`;
 * labels io.kubernetes.*), so `docker ps` on a node shows them.
 *
 * The kubelet of @drydock/kube decides when a container starts, crashes (CrashLoopBackOff) and
 * stops, on its timings; after every kube event on a host the host's engine is brought to match:
 * a container the kubelet runs is created (its image pulled at once if missing) and started, one it
 * no longer runs is stopped (kept, exited, as the kubelet keeps dead containers), and the containers
 * of a pod the kubelet dropped are removed. Each pod has a sandbox, the pause container
 * (`k8s_POD_<pod>_<namespace>_<uid>_0`, registry.k8s.io/pause:3.9), which owns the pod's network
 * namespace; the pod's containers join it (`--network container:<sandbox>`), as dockershim ran them.
 */

export const POD_UID_LABEL = "io.kubernetes.pod.uid";

/** dockershim's container name. */
export function podContainerName(container: string, pod: string, namespace: string, uid: string, attempt: number): string {
  return `k8s_${container}_${pod}_${namespace}_${uid}_${attempt}`;
}

interface Want {
  readonly name: string;
  readonly pod: Pod | undefined;
  readonly podName: string;
  readonly namespace: string;
  readonly uid: string;
  readonly container: string;
  readonly image: string;
  readonly owner: string | null;
}

/** A container of a pod, as the kubelet names it. */
export interface PodContainerRef {
  readonly uid: string;
  readonly name: string;
}

/**
 * Brings `node`'s engine to what its kubelet runs (the world unchanged when it already does);
 * says which containers could not start because no registry has their image.
 */
export function mirrorPods(s: WorldState, node: string, ctx: SimContext<WorldMessage>): { world: WorldState; pullFailed: PodContainerRef[] } {
  const kube = s.kube?.state;
  const h = s.hosts.get(node);
  if (!kube || !h || !ctx.isUp(node)) return { world: s, pullFailed: [] };
  const k = kube.kubelets[node];
  const running = new Map<string, Want>();
  const pods = new Set<string>();
  for (const p of Object.values(k?.pods ?? {})) {
    if (p.stopAt !== undefined && p.stopAt <= ctx.now) continue;
    pods.add(p.uid);
    const pod = kube.store.byUid(p.uid) as Pod | undefined;
    // The pod's sandbox: the pause container owning the network namespace its containers join.
    const sandbox = podContainerName("POD", p.name, p.namespace, p.uid, 0);
    const base = { pod: pod?.kind === "Pod" ? pod : undefined, podName: p.name, namespace: p.namespace, uid: p.uid };
    if (p.stopAt === undefined) running.set(sandbox, { ...base, name: sandbox, container: "POD", image: PAUSE_IMAGE, owner: null });
    for (const c of p.containers) {
      const name = podContainerName(c.name, p.name, p.namespace, p.uid, c.restarts);
      if (p.stopAt === undefined && (c.stage === "running" || c.stage === "ready")) running.set(name, { ...base, name, container: c.name, image: c.image, owner: sandbox });
    }
  }
  const mine = [...h.engine.containers.values()].filter((c) => c.config.labels[POD_UID_LABEL] !== undefined);
  const byName = new Map(mine.map((c) => [c.name.replace(/^\//, ""), c]));
  const toStart = [...running.values()].filter((w) => !byName.get(w.name)?.state.running).sort((a, b) => (a.owner === null ? 0 : 1) - (b.owner === null ? 0 : 1));
  const toStop = mine.filter((c) => c.state.running && !running.has(c.name.replace(/^\//, "")));
  const toRemove = mine.filter((c) => !pods.has(c.config.labels[POD_UID_LABEL]!));
  if (toStart.length === 0 && toStop.length === 0 && toRemove.length === 0) return { world: s, pullFailed: [] };

  let engine: EngineState = h.engine;
  const pullFailed: PodContainerRef[] = [];
  for (const w of toStart) {
    if (openStore(engine).resolve(w.image) !== undefined) continue;
    try {
      engine = enginePull(engine, s.hub, w.image, true).engine;
    } catch (e) {
      if (!(e instanceof DrydockError)) throw e;
      if (w.container !== "POD") pullFailed.push({ uid: w.uid, name: w.container });
    }
  }
  const cannot = new Set(pullFailed.map((r) => `${r.uid}/${r.name}`));
  const rt = runtimeOf(node, ctx);
  const d = new Daemon(engine, h.fs, { now: ctx.now, random: rt.random, names: rt.names, programs: withPause(rt.programs), hostName: node });
  const attempt = (op: () => void) => {
    try { op(); } catch (e) { if (!(e instanceof DrydockError)) throw e; }
  };
  for (const c of toRemove) attempt(() => d.remove(c.id, { force: true }));
  for (const c of toStop) if (!toRemove.includes(c)) attempt(() => d.kill(c.id, "SIGKILL"));
  for (const w of toStart) {
    if (cannot.has(`${w.uid}/${w.container}`)) continue;
    attempt(() => {
      const existing = d.find(w.name);
      // A container of the same attempt left from before a reboot: the kubelet removes it and starts anew.
      if (existing) d.remove(existing.id, { force: true });
      const spec = w.container === "POD" ? undefined : w.pod?.spec.containers.find((c) => c.name === w.container);
      const env = podEnv(kube.store, w.namespace, spec?.env ?? []);
      const files = podFiles(kube.store, w.namespace, w.pod, spec?.volumeMounts ?? []);
      const owner = w.owner !== null ? d.find(w.owner) : undefined;
      if (w.owner !== null && !owner?.state.running) return;
      const c = d.create({
        image: w.image, name: w.name,
        // The pod's hostname is its name (the sandbox config's Hostname; its containers share the sandbox's UTS namespace).
        hostname: w.pod?.spec.hostname ?? w.podName,
        labels: {
          "io.kubernetes.container.name": w.container, "io.kubernetes.docker.type": w.container === "POD" ? "podsandbox" : "container",
          "io.kubernetes.pod.name": w.podName, "io.kubernetes.pod.namespace": w.namespace, [POD_UID_LABEL]: w.uid,
        },
        ...(spec?.command ? { entrypoint: spec.command } : {}), ...(spec?.args ? { cmd: spec.args } : {}),
        ...(env.length > 0 ? { env } : {}),
        // The kubelet restarts containers, not the engine.
        restartPolicy: { name: "no", maximumRetryCount: 0 },
        ...(owner ? { networkMode: `container:${owner.id}` } : {}),
      });
      // Secret and ConfigMap volumes: a file per key at the mount path, there before the container's
      // process starts (the kubelet mounts, then starts). The kubelet's volume is a tmpfs; the engine
      // gives a tmpfs a fresh empty directory at start, so here the files are in the container's
      // own layer (`mount` does not list them).
      if (files.some((f) => f.entries.length > 0)) {
        const before = d.fsView(c.id);
        let after = before;
        for (const f of files) {
          const dir = mkdir(after, f.mountPath, ctx.now, { parents: true });
          if (dir.ok) after = dir.value;
        }
        for (const f of files) for (const [key, text] of f.entries) {
          const r = writeFile(after, `${f.mountPath.replace(/\/$/, "")}/${key}`, text, ctx.now);
          if (r.ok) after = r.value;
        }
        d.applyView(c.id, before, after);
      }
      d.start(c.id);
    });
  }
  return { world: settle(setHost(s, { ...h, engine: d.engine, fs: d.hostFs }), node, ctx), pullFailed };
}

/** The pod sandbox's image, as kubeadm's kubelet pulls it (registry.k8s.io/pause, 3.9 for v1.30). */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.9";

/**
 * Docker Hub's hub with registry.k8s.io added, serving the pause image: one static binary
 * (/pause, 700 kB) as its entrypoint, run as user 65535 (kubernetes/build/pause's Dockerfile).
 */
export function withPauseImage(hub: RegistryHub): RegistryHub {
  if (hub.domains().includes("registry.k8s.io")) return hub;
  const layer = createLayer(new Map([["/pause", opaqueFile("bin:/pause", 700_000, { mode: 0o755 })]]));
  const created = -400 * 86_400_000_000;
  const image = createImage({
    os: "linux", layers: [layer.digest],
    config: { ...emptyConfig(), entrypoint: ["/pause"], user: "65535:65535" },
    history: [
      { created, createdBy: "ARG ARCH", emptyLayer: true, comment: "buildkit.dockerfile.v0" },
      { created, createdBy: "ADD bin/pause-linux-amd64 /pause # buildkit", emptyLayer: false, comment: "buildkit.dockerfile.v0" },
      { created, createdBy: "USER 65535:65535", emptyLayer: true, comment: "buildkit.dockerfile.v0" },
      { created, createdBy: 'ENTRYPOINT ["/pause"]', emptyLayer: true, comment: "buildkit.dockerfile.v0" },
    ],
  });
  hub.addRegistry("registry.k8s.io", { canPush: () => false }).seed("pause", "3.9", image, [layer]);
  return hub;
}

/**
 * The host's programs with the pause binary: it waits for a signal forever (kubernetes
 * build/pause/linux/pause.c), using almost no memory. Only the sandbox's start needs it: the
 * plan, once running, is the container's.
 */
function withPause(programs: ProgramResolver): ProgramResolver {
  return {
    plan: (ctx) => (ctx.spec.argv[0] === "/pause" ? { ...foreverPlan("pause"), memory: { base: 300 * 1024, growPerSec: 0, max: null } } : programs.plan(ctx)),
    resume: (program, state, ctx, at) => programs.resume(program, state, ctx, at),
    tick: (gen, params, k) => programs.tick(gen, params, k),
    react: (fn, params, at, now) => programs.react(fn, params, at, now),
  };
}

/**
 * The containers of `node` the kubelet has running whose engine container has exited: what the
 * runtime reports to the kubelet (PLEG's relist), with their exit codes.
 */
export function exitsOn(s: WorldState, node: string): ContainerExit[] {
  const k = s.kube?.state.kubelets[node];
  const h = s.hosts.get(node);
  if (!k || !h) return [];
  const out: ContainerExit[] = [];
  for (const p of Object.values(k.pods)) {
    if (p.stopAt !== undefined) continue;
    for (const c of p.containers) {
      if (c.stage !== "running" && c.stage !== "ready") continue;
      const name = podContainerName(c.name, p.name, p.namespace, p.uid, c.restarts);
      const found = [...h.engine.containers.values()].find((x) => x.config.labels[POD_UID_LABEL] === p.uid && x.name.replace(/^\//, "") === name);
      if (found && !found.state.running && found.state.startedAt !== null) out.push({ uid: p.uid, name: c.name, exitCode: found.state.exitCode });
    }
  }
  return out;
}

type EnvVarSpec = NonNullable<Pod["spec"]["containers"][number]["env"]>[number];
type MountSpec = NonNullable<Pod["spec"]["containers"][number]["volumeMounts"]>[number];

/** A Secret's or ConfigMap's key as text (a Secret's data is base64 in the store), null when either is missing. */
function keyOf(store: KubeStore, kind: "Secret" | "ConfigMap", namespace: string, name: string, key: string): string | null {
  if (kind === "Secret") {
    const sec = store.get("Secret", namespace, name);
    const b64 = sec?.data?.[key];
    return b64 === undefined ? null : base64Decode(b64);
  }
  const cm = store.get("ConfigMap", namespace, name);
  return cm?.data?.[key] ?? null;
}

/**
 * A container's environment as the kubelet makes it (kubelet_pods.go makeEnvironmentVariables):
 * `value`, or `valueFrom.secretKeyRef` / `configMapKeyRef` read from the store (the kubelet would
 * hold the container in CreateContainerConfigError when one is missing; drydock leaves it unset).
 */
export function podEnv(store: KubeStore, namespace: string, env: readonly EnvVarSpec[]): string[] {
  const out: string[] = [];
  for (const e of env) {
    if (e.value !== undefined) out.push(`${e.name}=${e.value}`);
    else if (e.valueFrom?.secretKeyRef) {
      const v = keyOf(store, "Secret", namespace, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
      if (v !== null) out.push(`${e.name}=${v}`);
    } else if (e.valueFrom?.configMapKeyRef) {
      const v = keyOf(store, "ConfigMap", namespace, e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key);
      if (v !== null) out.push(`${e.name}=${v}`);
    }
  }
  return out;
}

/** The files of a container's Secret and ConfigMap volumes: one per key under the mount path (the secret volume plugin, tmpfs-backed). */
export function podFiles(store: KubeStore, namespace: string, pod: Pod | undefined, mounts: readonly MountSpec[]): { mountPath: string; entries: [string, string][] }[] {
  const out: { mountPath: string; entries: [string, string][] }[] = [];
  for (const m of mounts) {
    const v = pod?.spec.volumes?.find((x) => x.name === m.name);
    if (v?.secret) {
      const data = store.get("Secret", namespace, v.secret.secretName)?.data ?? {};
      out.push({ mountPath: m.mountPath, entries: Object.keys(data).sort().map((k) => [k, base64Decode(data[k]!)]) });
    } else if (v?.configMap) {
      const data = store.get("ConfigMap", namespace, v.configMap.name)?.data ?? {};
      out.push({ mountPath: m.mountPath, entries: Object.keys(data).sort().map((k) => [k, data[k]!]) });
    }
  }
  return out;
}
