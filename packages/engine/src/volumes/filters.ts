import { DrydockError } from "@drydock/kernel";

/**
 * Docker's filter arguments (moby api/types/filters.Args): each name holds a set of values.
 * `docker … --filter name=value` adds one value (docker/cli opts.FilterOpt: the name is
 * lower-cased and both halves trimmed). The match functions keep moby's semantics, which differ
 * on purpose: ExactMatch, FuzzyMatch (a value that is a prefix matches), Match (a value that is a
 * regular expression matches), MatchKVList (labels: every `k` or `k=v` must hold).
 */
export class FilterArgs {
  private readonly fields = new Map<string, Set<string>>();

  /** From the `--filter` values as typed; throws docker/cli's text for a value without "=". */
  static parse(values: readonly string[]): FilterArgs {
    const f = new FilterArgs();
    for (const v of values) {
      if (v === "") continue;
      const eq = v.indexOf("=");
      if (eq < 0) throw new DrydockError("EFILTERFORMAT", "bad format of filter (expected name=value)");
      f.add(v.slice(0, eq).trim().toLowerCase(), v.slice(eq + 1).trim());
    }
    return f;
  }

  add(name: string, value: string): this {
    let set = this.fields.get(name);
    if (!set) this.fields.set(name, (set = new Set()));
    set.add(value);
    return this;
  }

  clone(): FilterArgs {
    const f = new FilterArgs();
    for (const [k, vs] of this.fields) for (const v of vs) f.add(k, v);
    return f;
  }

  get size(): number {
    return this.fields.size;
  }

  keys(): string[] {
    return [...this.fields.keys()];
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  /** The values of a name, sorted (Go's Args.Get order is a map's; sorted is stable). */
  get(name: string): string[] {
    return [...(this.fields.get(name) ?? [])].sort();
  }

  /** filters.Args.Validate: "invalid filter 'x'" for a name the endpoint does not accept. */
  validate(accepted: readonly string[]): void {
    for (const name of this.fields.keys()) {
      if (!accepted.includes(name)) throw new DrydockError("EFILTER", `invalid filter '${name}'`);
    }
  }

  exactMatch(name: string, source: string): boolean {
    const vs = this.fields.get(name);
    if (!vs || vs.size === 0) return true;
    return vs.has(source);
  }

  fuzzyMatch(name: string, source: string): boolean {
    if (this.exactMatch(name, source)) return true;
    for (const prefix of this.fields.get(name) ?? []) if (source.startsWith(prefix)) return true;
    return false;
  }

  /** Exact, or the value as a regular expression (Go's regexp.MatchString: unanchored). */
  match(name: string, source: string): boolean {
    if (this.exactMatch(name, source)) return true;
    for (const pattern of this.fields.get(name) ?? []) {
      try {
        if (new RegExp(pattern).test(source)) return true;
      } catch {
        // An invalid expression matches nothing (moby ignores the error).
      }
    }
    return false;
  }

  matchKVList(name: string, sources: Readonly<Record<string, string>> | null): boolean {
    const vs = this.fields.get(name);
    if (!vs || vs.size === 0) return true;
    if (!sources || Object.keys(sources).length === 0) return false;
    for (const value of vs) {
      const eq = value.indexOf("=");
      const k = eq < 0 ? value : value.slice(0, eq);
      if (!Object.hasOwn(sources, k)) return false;
      if (eq >= 0 && sources[k] !== value.slice(eq + 1)) return false;
    }
    return true;
  }

  /** filters.Args.GetBoolOrDefault, with moby's "invalid filter 'k=[v]'" for a value that is neither. */
  boolOrDefault(name: string, def: boolean): boolean {
    const vs = this.fields.get(name);
    if (!vs) return def;
    const isFalse = vs.has("0") || vs.has("false");
    const isTrue = vs.has("1") || vs.has("true");
    if (isFalse === isTrue) throw new DrydockError("EFILTER", `invalid filter '${name}=[${this.get(name).join(" ")}]'`);
    return isTrue;
  }
}
