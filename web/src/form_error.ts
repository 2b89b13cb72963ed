// A schedule problem as people read it (issue 23, plain words): deskd and validateSchedule name
// the field by its key ("sit_minutes: must be between 5 and 240", "mon: windows overlap"); the
// form shows it next to that field, under the field's own label.

export interface FieldError {
  /** The form field's name ("sit_minutes", "windows.mon"), or null when none is named. */
  field: string | null;
  /** "Sit (minutes): must be between 5 and 240". */
  text: string;
}

const DAYS: Record<string, string> = {
  mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday',
};

/** `labels`: form field name -> its label as shown ("breaks.every_minutes" -> "Every (minutes)"). */
export function fieldError(problem: string, labels: ReadonlyMap<string, string>): FieldError {
  const colon = problem.indexOf(':');
  if (colon < 0) return { field: null, text: problem };
  const key = problem.slice(0, colon).trim();
  let rest = problem.slice(colon + 1).trim();
  const field = key in DAYS ? `windows.${key}` : key;
  const label = key in DAYS ? `${DAYS[key]} working hours` : labels.get(field);
  if (label === undefined) return { field: null, text: problem };
  // Other keys named in the message ("must be shorter than every_minutes") read as labels too.
  const group = field.includes('.') ? field.slice(0, field.indexOf('.') + 1) : '';
  rest = rest.replace(/\b[a-z_]+_(minutes|seconds|days)\b/g, (k) => {
    const other = labels.get(group + k) ?? labels.get(k);
    return other ? `"${other}"` : k;
  });
  return { field, text: `${label}: ${rest}` };
}
