// What the Skip button says (issue 24 §4): past the daily skip limit deskd snoozes instead, and
// the button says so before it is pressed.

export interface SkipLabel {
  text: string;
  /** Tooltip: how many skips are left, or why Skip snoozes. */
  title: string;
}

export function skipLabel(skipsLeft: number | null, snoozeMinutes: number | null): SkipLabel {
  if (skipsLeft === null) return { text: 'Skip', title: '' };
  if (skipsLeft <= 0) {
    return {
      text: `Snooze ${snoozeMinutes ?? 10} min`,
      title: "Today's skips are used up: this snoozes the change instead",
    };
  }
  return { text: 'Skip', title: `${skipsLeft} skip${skipsLeft === 1 ? '' : 's'} left today` };
}
