import { issueNodeCert, ouOf } from "../certs.js";
import type { StoreOp } from "../store/store.js";
import type { Pass } from "./pass.js";

/**
 * The CA server and root-rotation reconciler as a step of the leader's pass (swarmkit ca/server.go,
 * ca/reconciler.go). A node that is not down gets a certificate when it has none, when its role
 * changed (the OU must match), when its renewal time came, or when a root rotation is under way
 * and its certificate is not from the new root. Once every such node holds a certificate of the
 * new root, the rotation ends: the new root becomes the cluster's, and the nodes trust it.
 * (Nodes that are down are not waited for; they get a new certificate when they are back.)
 */
export function reconcileCerts(pass: Pass): void {
  const cluster = pass.store.cluster;
  const root = cluster?.rootCA.cert;
  if (!cluster || !root) return;
  const signer = cluster.rootCA.rotation?.ca ?? root;
  const expiry = cluster.spec.nodeCertExpiryUs;
  const now = pass.now;
  const ops: StoreOp[] = [];
  let pending = false;
  // The store's insertion order is the same on every replica: no sort needed for determinism.
  for (const n of pass.store.nodes.values()) {
    if (n.status.state === "down") continue;
    const c = n.certificate;
    const stale = !c || c.issuer !== signer.serial || c.ou !== ouOf(n.role) || c.o !== cluster.id || now >= c.renewAt;
    if (stale) ops.push({ op: "node.cert", id: n.id, certificate: issueNodeCert(signer, n, cluster.id, pass.serial(), now, expiry), trustRoot: n.trustRoot ?? root.serial });
    else pass.wake(c.renewAt);
    if (stale) pending = true;
  }
  pass.apply(ops);
  const rotation = cluster.rootCA.rotation;
  if (!rotation || pending) return;
  // Every node up holds a certificate of the new root: it becomes the trust root.
  const done: StoreOp[] = [{ op: "cluster.put", cluster: { ...cluster, rootCA: { ...cluster.rootCA, cert: rotation.ca, rotation: null } } }];
  for (const n of pass.store.nodes.values()) {
    if (n.status.state !== "down" && n.certificate && n.trustRoot !== rotation.ca.serial) done.push({ op: "node.cert", id: n.id, certificate: n.certificate, trustRoot: rotation.ca.serial });
  }
  pass.apply(done);
}
