// The routing mesh's property (issue #12): every request to a published port, on any node, is
// answered by a running task of the service that publishes it (the leader's committed store says
// it runs, on the node whose endpoint answered), or refused, and refused only when the service has
// no running task. Drawn: scaling (0-3 replicas), draining and re-activating nodes, and requests
// from any node to its own loopback or another node's address, with no time, a moment or 10 s
// between a change and the next step (mid-transition too: a task the store is stopping has
// desired state SHUTDOWN and is no longer a backend before its container stops). No crashes here:
// between a crash and the store marking the node down, a request IPVS sends to the dead node's
// task is lost, as on a real swarm (ingress.test.ts covers after).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { swarm, request, runningTasks } from "./ingress.test-util.js";

const NODES = ["n1", "n2", "n3", "n4"] as const;
/** Virtual time after a change before the next step: none (mid-transition), a moment, or enough to converge. */
const SETTLE = fc.constantFrom("0s", "300ms", "1s", "10s");

type Step =
  | { readonly kind: "scale"; readonly replicas: number; readonly settle: string }
  | { readonly kind: "availability"; readonly node: string; readonly value: "drain" | "active"; readonly settle: string }
  | { readonly kind: "curl"; readonly from: string; readonly to: string | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 3 }), settle: SETTLE }),
  fc.record({ kind: fc.constant("availability" as const), node: fc.constantFrom("n2", "n3", "n4"), value: fc.constantFrom("drain" as const, "active" as const), settle: SETTLE }),
  fc.record({ kind: fc.constant("curl" as const), from: fc.constantFrom(...NODES), to: fc.option(fc.constantFrom(...NODES), { nil: null }) }),
);

describe("the routing mesh answers with a running task, or refuses only when none runs", () => {
  it("holds over drawn scalings, drains and requests", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const pg = swarm(NODES);
        expect(pg.exec("docker service create -d --name web --publish 8080:80 --replicas 2 nginx", { on: "n1" }).exitCode).toBe(0);
        pg.advance("10s");
        for (const s of [...steps, { kind: "curl", from: "n4", to: null } as const]) {
          if (s.kind === "scale") pg.exec(`docker service scale -d web=${s.replicas}`, { on: "n1" });
          else if (s.kind === "availability") pg.exec(`docker node update --availability ${s.value} ${s.node}`, { on: "n1" });
          if (s.kind !== "curl") {
            if (s.settle !== "0s") pg.advance(s.settle);
            continue;
          }
          const running = runningTasks(pg, "web");
          const r = request(pg, s.from, `curl -s -o /dev/null ${s.to ?? "localhost"}:8080`);
          if (running.size === 0) {
            expect(r).toMatchObject({ outcome: "refused", exitCode: 7 });
          } else {
            expect(r).toMatchObject({ outcome: "connected", exitCode: 0 });
            expect(running.get(r.task!)).toBe(r.node);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
