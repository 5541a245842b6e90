import fc from "fast-check";

// Labels and label selectors as Kubernetes defines them (apimachinery's validation and
// labels/selector.go), as arbitraries with a reference matcher: what a selector parser, a
// Service's endpoints, `kubectl get -l` or `docker ps --filter label=` must agree with.

export type LabelSet = Readonly<Record<string, string>>;

/** One requirement of a selector (labels.Requirement). */
export type Requirement =
  | { readonly key: string; readonly op: "=" | "==" | "!="; readonly value: string }
  | { readonly key: string; readonly op: "in" | "notin"; readonly values: readonly string[] }
  | { readonly key: string; readonly op: "exists" | "!" };

/** A selector: every requirement must hold (an empty selector selects everything). */
export interface Selector {
  readonly requirements: readonly Requirement[];
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const alnum = (upper: boolean) => fc.constantFrom(...(upper ? ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : ALNUM).split(""));

/** A qualified name's name part, or a label value: up to 63 of [A-Za-z0-9_.-], alphanumeric at both ends. */
function nameLike(maxLength: number): fc.Arbitrary<string> {
  const inner = fc.array(fc.oneof({ weight: 6, arbitrary: alnum(true) }, { weight: 1, arbitrary: fc.constantFrom("-", "_", ".") }), { maxLength: Math.max(0, maxLength - 2) });
  return fc.oneof(
    alnum(true),
    fc.tuple(alnum(true), inner, alnum(true)).map(([a, m, b]) => a + m.join("") + b),
  );
}

/** A DNS-1123 subdomain (a label key's prefix): dot-separated lower-case labels. */
const dnsLabel = fc.tuple(alnum(false), fc.array(fc.oneof({ weight: 5, arbitrary: alnum(false) }, { weight: 1, arbitrary: fc.constant("-") }), { maxLength: 8 }), alnum(false))
  .map(([a, m, b]) => a + m.join("") + b);
const dnsSubdomain = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((ls) => ls.join("."));

/** A label key: [prefix/]name, as validation.IsQualifiedName accepts. */
export const labelKey = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("app", "tier", "env", "release", "version", "app.kubernetes.io/name", "com.docker.compose.project") },
    { weight: 2, arbitrary: nameLike(20) },
    { weight: 1, arbitrary: fc.tuple(dnsSubdomain, nameLike(20)).map(([p, n]) => `${p}/${n}`) },
  );

/** A label value: empty, or up to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric. */
export const labelValue = (): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom("web", "db", "prod", "staging", "v1", "v2", "frontend", "backend") }, { weight: 2, arbitrary: nameLike(20) }, { weight: 1, arbitrary: fc.constant("") });

/** A set of labels (keys unique). */
export const labelSet = (o: { readonly maxKeys?: number } = {}): fc.Arbitrary<LabelSet> =>
  fc.uniqueArray(fc.tuple(labelKey(), labelValue()), { selector: ([k]) => k, maxLength: o.maxKeys ?? 5 }).map((pairs) => Object.fromEntries(pairs));

/** Is this a valid label key (apimachinery IsQualifiedName)? */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)) return false;
  }
  return name.length >= 1 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** Is this a valid label value (apimachinery IsValidLabelValue)? */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value));
}

/**
 * A selector over the keys and values `labels` tends to use (so that it selects some sets and
 * not others): equality (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`,
 * `a`, `!a`) requirements.
 */
export function selector(o: { readonly keys?: fc.Arbitrary<string>; readonly values?: fc.Arbitrary<string>; readonly maxRequirements?: number } = {}): fc.Arbitrary<Selector> {
  const key = o.keys ?? labelKey();
  const value = o.values ?? labelValue();
  const requirement: fc.Arbitrary<Requirement> = fc.oneof(
    fc.record({ key, op: fc.constantFrom("=" as const, "==" as const, "!=" as const), value }),
    fc.record({ key, op: fc.constantFrom("in" as const, "notin" as const), values: fc.uniqueArray(value.filter((v) => v !== ""), { minLength: 1, maxLength: 3 }) }),
    fc.record({ key, op: fc.constantFrom("exists" as const, "!" as const) }),
  );
  return fc.array(requirement, { maxLength: o.maxRequirements ?? 3 }).map((requirements) => ({ requirements }));
}

/** The selector as kubectl's -l takes it: requirements joined by commas. */
export function selectorText(s: Selector): string {
  return s.requirements.map((r) => {
    switch (r.op) {
      case "=": case "==": case "!=": return `${r.key}${r.op}${r.value}`;
      case "in": case "notin": return `${r.key} ${r.op} (${r.values.join(",")})`;
      case "exists": return r.key;
      case "!": return `!${r.key}`;
    }
  }).join(",");
}

/** The reference semantics (labels.Requirement.Matches): does the set satisfy every requirement? */
export function selectorMatches(s: Selector, labels: LabelSet): boolean {
  return s.requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = has ? labels[r.key]! : undefined;
    switch (r.op) {
      case "=": case "==": return has && v === r.value;
      // selector.go: NotEquals and NotIn match when the key is absent.
      case "!=": return !has || v !== r.value;
      case "in": return has && r.values.includes(v!);
      case "notin": return !has || !r.values.includes(v!);
      case "exists": return has;
      case "!": return !has;
    }
  });
}

/** A label set and a selector drawn over the same keys and values, so that matches and misses both occur. */
export function labelsAndSelector(): fc.Arbitrary<{ readonly labels: LabelSet; readonly selector: Selector }> {
  const keys = fc.constantFrom("app", "tier", "env", "app.kubernetes.io/name");
  const values = fc.constantFrom("web", "db", "prod", "v1", "");
  return fc.record({
    labels: fc.uniqueArray(fc.tuple(keys, values), { selector: ([k]) => k, maxLength: 4 }).map((p) => Object.fromEntries(p) as LabelSet),
    selector: selector({ keys, values: values.filter((v) => v !== ""), maxRequirements: 3 }),
  });
}
