import { hexDigest } from "./ids.js";
import { base64Encode } from "./store/cipher.js";
import type { Cluster, Node, NodeRole } from "./types.js";

/**
 * The swarm's certificates as data (swarmkit ca/): a root CA per cluster and a TLS certificate
 * per node, signed by it, with the node ID as CN, its role as OU (swarm-manager / swarm-worker)
 * and the cluster ID as O. Nothing here is real cryptography: the "PEM" is deterministic filler in
 * PEM's shape and the digests are drydock's hexDigest, so views (docker swarm ca, node inspect's
 * TLSInfo, the visualiser) can show which node holds which certificate, when it expires and
 * which root it chains to, as SwarmKit's mutual TLS would have it.
 */

const S = 1_000_000;
/** ca/certificates.go RootCAExpiration: "630720000s", 20 years. */
export const ROOT_CA_EXPIRY_US = 630_720_000 * S;
/** ca/config.go DefaultNodeCertExpiration: 90 days (docker swarm init/update --cert-expiry). */
export const NODE_CERT_EXPIRY_US = 90 * 24 * 3600 * S;
/** ca.MinNodeCertExpiration. */
export const MIN_NODE_CERT_EXPIRY_US = 3600 * S;
/** ca/certificates.go rootCN. */
export const ROOT_CN = "swarm-ca";

export interface CACert {
  readonly serial: string;
  /** "CN=swarm-ca". */
  readonly subject: string;
  readonly notBefore: number;
  readonly notAfter: number;
  /** The certificate in PEM's shape (TLSInfo.TrustRoot). */
  readonly pem: string;
  /** "sha256:…" of the PEM text, as `docker swarm ca --rotate` shows the desired root (a drydock digest). */
  readonly digest: string;
  /** TLSInfo.CertIssuerPublicKey, base64. */
  readonly publicKey: string;
}

export interface NodeCert {
  readonly serial: string;
  /** The node ID. */
  readonly cn: string;
  readonly ou: "swarm-manager" | "swarm-worker";
  /** The cluster ID. */
  readonly o: string;
  /** The serial of the CA that signed it. */
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
  /** When the node asks for a new one: a point 50-80% into its validity (ca/certificates.go calculateRandomExpiry). */
  readonly renewAt: number;
}

/** Base64 of `n` deterministic bytes drawn from `seed`, after `prefixHex`. */
function filler(seed: string, n: number, prefixHex = ""): string {
  const hex = prefixHex + hexDigest(seed, n * 2 - prefixHex.length);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return base64Encode(bytes);
}

/** A new root CA (ca.CreateRootCA), made at `now`; `serial` from the cluster's id stream. */
export function newRootCA(serial: string, now: number): CACert {
  const body = filler(`ca/${serial}`, 420).match(/.{1,64}/g)!.join("\n");
  const pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  return {
    serial, subject: `CN=${ROOT_CN}`, notBefore: now, notAfter: now + ROOT_CA_EXPIRY_US, pem,
    digest: `sha256:${hexDigest(pem)}`, publicKey: filler(`ca-key/${serial}`, 91, P256_SPKI_PREFIX),
  };
}

/** The DER header of an ECDSA P-256 SubjectPublicKeyInfo (SwarmKit's CA keys are P-256): the point's 64 bytes follow. */
const P256_SPKI_PREFIX = "3059301306072a8648ce3d020106082a8648ce3d03010703420004";
/** The DER of the subject "CN=swarm-ca", base64: what TLSInfo.CertIssuerSubject holds on every swarm. */
export const ROOT_SUBJECT_DER = "MBMxETAPBgNVBAMTCHN3YXJtLWNh";

/** swarm.TLSInfo (the Engine API's; []byte fields in base64). */
export interface TLSInfo {
  readonly TrustRoot: string;
  readonly CertIssuerSubject: string;
  readonly CertIssuerPublicKey: string;
}

function caBySerial(cluster: Cluster, serial: string | undefined): CACert | undefined {
  const root = cluster.rootCA.cert;
  const next = cluster.rootCA.rotation?.ca;
  return serial === root?.serial ? root : serial === next?.serial ? next : undefined;
}

/** ClusterInfo.TLSInfo: the trust root, and the issuer certificates are to come from (the new root while one rotates in). */
export function clusterTlsInfo(cluster: Cluster): TLSInfo | null {
  const root = cluster.rootCA.cert;
  if (!root) return null;
  const issuer = cluster.rootCA.rotation?.ca ?? root;
  return { TrustRoot: root.pem, CertIssuerSubject: ROOT_SUBJECT_DER, CertIssuerPublicKey: issuer.publicKey };
}

/** Node.Description.TLSInfo: the root the node trusts and the issuer of its certificate. */
export function nodeTlsInfo(cluster: Cluster, node: Node): TLSInfo | null {
  const issuer = caBySerial(cluster, node.certificate?.issuer);
  if (!node.certificate || !issuer) return null;
  return { TrustRoot: caBySerial(cluster, node.trustRoot)?.pem ?? "", CertIssuerSubject: ROOT_SUBJECT_DER, CertIssuerPublicKey: issuer.publicKey };
}

export function ouOf(role: NodeRole): NodeCert["ou"] {
  return role === "manager" ? "swarm-manager" : "swarm-worker";
}

/** The node's certificate, signed by `ca` (ca/server.go IssueNodeCertificate, signed at once). */
export function issueNodeCert(ca: CACert, node: Pick<Node, "id" | "role">, clusterId: string, serial: string, now: number, expiryUs: number): NodeCert {
  // calculateRandomExpiry: uniform in [50%, 80%) of the validity; the draw is a digest of the serial.
  const frac = 0.5 + 0.3 * (parseInt(hexDigest(`renew/${serial}`, 8), 16) / 0x1_0000_0000);
  return {
    serial, cn: node.id, ou: ouOf(node.role), o: clusterId, issuer: ca.serial,
    notBefore: now, notAfter: now + expiryUs, renewAt: now + Math.floor(expiryUs * frac),
  };
}
