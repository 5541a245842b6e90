import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

// The swarm's certificates as data: docker/cli swarm/ca.go (displayTrustRoot, attach),
// swarm/progress/root_rotation.go, node/formatter.go (TLS Info, TLS STATUS); swarmkit ca/.
function twoNodes(): Playground {
  const pg = createPlayground({ nodes: ["n1", "n2"] });
  pg.exec("docker swarm init", { on: "n1" });
  const token = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
  pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: "n2" });
  pg.advance("5s");
  return pg;
}
const run = (pg: Playground, line: string, on = "n1") => pg.exec(line, { on });
const PEM = /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/;
const BAR = "[==================================================>]";

describe("docker swarm ca", () => {
  it("prints the root CA certificate; node inspect shows the node's TLSInfo; node ls's TLS STATUS is Ready", () => {
    const pg = twoNodes();
    const pem = run(pg, "docker swarm ca").stdout;
    expect(pem).toMatch(PEM);
    const tls = JSON.parse(run(pg, "docker node inspect --format '{{json .Description.TLSInfo}}' n2").stdout);
    // The DER of "CN=swarm-ca", and a P-256 SubjectPublicKeyInfo (91 bytes).
    expect(tls).toMatchObject({ TrustRoot: pem, CertIssuerSubject: "MBMxETAPBgNVBAMTCHN3YXJtLWNh" });
    expect(tls.CertIssuerPublicKey).toMatch(/^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE[A-Za-z0-9+/]{86}==$/);
    expect(run(pg, "docker node inspect --pretty n2").stdout).toContain(`TLS Info:\n TrustRoot:\n${pem}\n Issuer Subject:\tMBMxETAPBgNVBAMTCHN3YXJtLWNh\n`);
    expect(run(pg, "docker node ls --format '{{.Hostname}} {{.TLSStatus}}'").stdout).toBe("n1 Ready\nn2 Ready\n");
    expect(run(pg, "docker swarm ca --cert-expiry 48h").stderr).toBe("`--cert-expiry` flag requires the `--rotate` flag to update the CA\n");
  });

  it("--rotate: the progress docker prints, then the new root; every node trusts it; Force Rotate counts", () => {
    const pg = twoNodes();
    const old = run(pg, "docker swarm ca").stdout;
    const r = run(pg, "docker swarm ca --rotate");
    expect(r.exitCode).toBe(0);
    const fresh = run(pg, "docker swarm ca").stdout;
    expect(fresh).not.toBe(old);
    expect(r.stdout).toMatch(new RegExp(`^desired root digest: sha256:[0-9a-f]{64} \\n`));
    expect(r.stdout).toContain(`  rotated TLS certificates:  ${BAR} 2/2 nodes\n  rotated CA certificates:   ${BAR} 2/2 nodes\n${fresh}`);
    const tls = JSON.parse(run(pg, "docker node inspect --format '{{json .Description.TLSInfo}}' n2").stdout);
    expect(tls.TrustRoot).toBe(fresh);
    const info = run(pg, "docker info").stdout;
    expect(info).toContain("   Force Rotate: 1\n");
    expect(info).toContain("  Root Rotation In Progress: false\n");
    expect(run(pg, "docker swarm ca --rotate -q").stdout).toBe("");
  });
});
