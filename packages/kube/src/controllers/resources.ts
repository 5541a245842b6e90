// Resource quantities as the scheduler counts them (k8s.io/apimachinery/pkg/api/resource): CPU in
// millicores ("500m", "0.5", 2), memory in bytes ("128Mi", "1G", "1e3").
const SUFFIX: Record<string, number> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A quantity's value in base units, or NaN when it is not one. */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === "number") return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return NaN;
  return Number(m[1]) * SUFFIX[m[2] ?? ""]!;
}

export const milliCpu = (q: string | number | undefined): number => Math.round(quantity(q) * 1000);
export const bytes = (q: string | number | undefined): number => Math.round(quantity(q));
