// What the charts view runs, kept in the link (`trials=500&ctimeout=150-155ms&cprevote=1`) so a
// link to the charts names the experiment the room saw.

/** Election timeout ranges the charts offer (Raft §9.3: 150-300 ms, and a narrow one that splits votes). */
export const CHART_TIMEOUTS: Readonly<Record<string, readonly [string, string]>> = {
  "150-300ms": ["150ms", "300ms"],
  "150-155ms": ["150ms", "155ms"],
};

export const CHART_TRIALS: readonly number[] = [100, 200, 500, 1000];

export interface ChartSettings {
  readonly trials: number;
  readonly timeouts: string;
  readonly prevote: boolean;
}

export const CHART_DEFAULTS: ChartSettings = { trials: 200, timeouts: "150-300ms", prevote: false };
