// Hold-to-move without a jog command in the contract (DESIGN.md §8 has none): while an Up/Down
// button is held, the page sends bounded go-to steps (`{"height_mm": …}`) a little ahead of the
// desk, and a Stop on release. deskd re-targets a run in the same direction without a new start
// (no start budget spent), and if the page dies mid-hold the desk stops at most one step on.

/** How far ahead of the desk each step aims: ~1.3 s of travel at 35-40 mm/s. */
export const HOLD_STEP_MM = 50;
/** How often a held button sends the next step (the desk covers ~15 mm meanwhile). */
export const HOLD_REPEAT_MS = 400;

export type HoldDir = 'up' | 'down';

/** The next step's target from `heightMm`, within the desk's limits; null at the limit already. */
export function holdTarget(heightMm: number, dir: HoldDir, minMm: number, maxMm: number, stepMm = HOLD_STEP_MM): number | null {
  const here = Math.round(heightMm);
  const t = dir === 'up' ? Math.min(maxMm, here + stepMm) : Math.max(minMm, here - stepMm);
  if (dir === 'up' ? t <= here : t >= here) return null;
  return t;
}
