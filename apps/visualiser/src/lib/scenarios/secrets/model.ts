// What the secrets scene draws: where a swarm secret is, node by node, at one instant. Sealed in
// the managers' Raft store (what a reader of the store sees), in an agent's memory once a task
// granted it is assigned there, and in the task's tmpfs at /run/secrets while its container runs.

/** A secret as the leader's store has it: its name and the record a reader of the store sees. */
export interface SecretView {
  readonly id: string;
  readonly name: string;
  /** The stored record, "NACLSecretboxSalsa20Poly1305:<nonce>:<ciphertext>", shortened for the screen. */
  readonly sealed: string;
  /** The services granted it (docker service create --secret). */
  readonly services: readonly string[];
}

/** A task as a line in its node's card: its name, state and the files of its /run/secrets tmpfs. */
export interface SecretTaskView {
  /** Its container's short ID (or the task's ID before there is one). */
  readonly key: string;
  readonly name: string;
  readonly image: string;
  /** Its container's state on the host ("running", "exited", ...), or the task's state while there is none. */
  readonly state: string;
  /** The files in the container's /run/secrets (in memory, only while it runs). */
  readonly files: readonly string[];
}

export interface SecretNodeView {
  readonly host: string;
  readonly role: "manager" | "worker";
  readonly up: boolean;
  /** A manager replicates the store: the secrets it holds sealed (their names). */
  readonly sealed: readonly string[];
  /** The secrets the node's agent received with its assignments, in memory (names). */
  readonly held: readonly string[];
  readonly tasks: readonly SecretTaskView[];
}

export interface SecretsCaption {
  /** "start", "created", "granted", "removed". */
  readonly step: string;
  readonly title: string;
  readonly text: string;
}

export interface SecretsViewModel {
  readonly secrets: readonly SecretView[];
  readonly nodes: readonly SecretNodeView[];
  readonly leader: string | null;
  readonly caption: SecretsCaption;
}
