// The kubelet's answers to a real runtime (the playground's engine): containers that exited, and
// images that could not be pulled.
import { describe, expect, it } from "vitest";
import { EMPTY_KUBELET, advance, containersExited, imagePullFailed, reports, syncPods, type KubeletState } from "./kubelet.js";

const S = 1_000_000;

function running(): KubeletState {
  const { state } = syncPods(EMPTY_KUBELET, [{ uid: "u1", name: "web", namespace: "default", containers: [{ name: "nginx", image: "nginx:1.27" }], deleting: false }], 1, 0);
  return advance(state, 2 * S).state; // started at 1 s, ready at 1.5 s
}

describe("kubelet and a real runtime", () => {
  it("a container that exited is restarted after CrashLoopBackOff's back-off, 10 s then 20 s (kubelet backOffPeriod, doubling)", () => {
    let k = running();
    expect(reports(k)[0]!.containers[0]).toMatchObject({ ready: true, restartCount: 0 });
    k = containersExited(k, [{ uid: "u1", name: "nginx", exitCode: 1 }], 3 * S);
    expect(reports(k)[0]!.containers[0]).toMatchObject({ ready: false, restartCount: 1, reason: "CrashLoopBackOff" });
    expect(advance(k, 12.9 * S).state.pods["u1"]!.containers[0]!.stage).toBe("crashed");
    k = advance(k, 14 * S).state; // back at 13 s, started at 14 s
    expect(k.pods["u1"]!.containers[0]!.stage).toBe("running");
    k = containersExited(k, [{ uid: "u1", name: "nginx", exitCode: 1 }], 14 * S);
    expect(k.pods["u1"]!.containers[0]!.nextAt).toBe(34 * S);
    // A report about a container the kubelet is not running changes nothing.
    expect(containersExited(k, [{ uid: "u1", name: "nginx", exitCode: 1 }], 15 * S)).toEqual(k);
  });

  it("an image that could not be pulled waits in ErrImagePull, then ImagePullBackOff, and the pod is Pending", () => {
    const { state } = syncPods(EMPTY_KUBELET, [{ uid: "u2", name: "ghost", namespace: "default", containers: [{ name: "app", image: "nosuch:1" }], deleting: false }], 1, 0);
    let k = advance(state, 1 * S).state;
    k = imagePullFailed(k, [{ uid: "u2", name: "app" }], 1 * S);
    expect(reports(k)[0]).toMatchObject({ phase: "Pending", containers: [{ ready: false, restartCount: 0, reason: "ErrImagePull" }] });
    k = advance(k, 11 * S).state; // tried again at 11 s
    k = imagePullFailed(k, [{ uid: "u2", name: "app" }], 11 * S);
    expect(reports(k)[0]!.containers[0]!.reason).toBe("ImagePullBackOff");
    expect(k.pods["u2"]!.containers[0]!.nextAt).toBe(31 * S);
  });
});
