// Encrypted overlays (issue #12): `docker network create -d overlay --opt encrypted` keeps the
// option in the network's driver options (`docker network inspect`'s Options: "encrypted": "",
// beside the VNI), and traffic between tasks on different nodes crosses the VXLAN hop inside
// IPsec ESP (libnetwork drivers/overlay/encryption.go, engine network/overlay.ts).
import { describe, expect, it } from "vitest";
import { has, request, runningTasks, swarm } from "./ingress.test-util.js";

describe("docker network create -d overlay --opt encrypted", () => {
  const pg = swarm(["n1", "n2"]);
  pg.exec("docker network create -d overlay --opt encrypted secure", { on: "n1" });
  pg.exec("docker network create -d overlay plain", { on: "n1" });
  pg.exec("docker service create -d --name probe --network secure --network plain --constraint node.hostname==n1 alpine sleep 1d", { on: "n1" });
  pg.exec("docker service create -d --name api --network secure --constraint node.hostname==n2 nginx", { on: "n1" });
  pg.exec("docker service create -d --name web --network plain --constraint node.hostname==n2 nginx", { on: "n1" });
  pg.advance("15s");
  const probe = pg.exec("docker ps -q -f name=probe.", { on: "n1" }).stdout.trim();

  it("network inspect shows the option beside the VNI", () => {
    expect(pg.exec("docker network inspect -f '{{json .Options}}' secure", { on: "n1" }).stdout)
      .toBe('{"com.docker.network.driver.overlay.vxlanid_list":"4097","encrypted":""}\n');
    expect(pg.exec("docker network inspect -f '{{json .Options}}' plain", { on: "n1" }).stdout)
      .toBe('{"com.docker.network.driver.overlay.vxlanid_list":"4098"}\n');
  });

  it("a request across nodes on the encrypted network goes in IPsec ESP; on the plain one it does not", () => {
    expect(runningTasks(pg, "api").get("api.1")).toBe("n2");
    const enc = request(pg, "n1", `docker exec ${probe} wget -qO- api`);
    expect(enc).toMatchObject({ exitCode: 0, outcome: "connected", node: "n2" });
    expect(has(enc.hops, "vxlan0 (secure)")).toBe(true);
    expect(has(enc.hops, "iptables xfrm (secure): IPsec ESP (rfc4106(gcm(aes)), transport mode)")).toBe(true);
    const plain = request(pg, "n1", `docker exec ${probe} wget -qO- web`);
    expect(plain).toMatchObject({ exitCode: 0, outcome: "connected", node: "n2" });
    expect(has(plain.hops, "vxlan0 (plain)")).toBe(true);
    expect(has(plain.hops, "xfrm")).toBe(false);
  });
});
