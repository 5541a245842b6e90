// Rolling-update fenceposts as the deployment controller computes them
// (kubernetes pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, over
// apimachinery intstr.GetScaledValueFromIntOrPercent).
import { KubeError } from "../errors.js";

/** intstr.IntOrString as a manifest gives it: a number, or a string that must be a percentage. */
export type IntOrString = number | string;

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as it is; "N%" of `total`, rounded up or down.
 * A string that is not a percentage, or whose number is not an integer, is an error with
 * apimachinery's text.
 */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  if (!v.endsWith("%")) throw new KubeError("INT_OR_STRING", "invalid value for IntOrString: invalid type: string is not a percentage");
  const digits = v.slice(0, -1);
  // strconv.Atoi: an optional sign and decimal digits.
  if (!/^[+-]?[0-9]+$/.test(digits)) {
    throw new KubeError("INT_OR_STRING", `invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax`);
  }
  const pct = Number(digits);
  // Go computes float64(value) * float64(total) / 100, then Ceil or Floor.
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; an absent value is 0; when
 * both come to zero, unavailable is 1 ("surge might not work due to quota").
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
