// Heights on purpose (issue 23): the presets/set bodies the desk card sends. "sit" and "stand"
// name the posture heights, which change only through "Set as sitting/standing height" (each
// confirmed), never through a preset that happens to have that name.

export type Presets = Record<string, number>;

/** The posture heights' names, reserved. */
export const RESERVED = ['sit', 'stand'] as const;

/** Null when `name` may name a new preset; else why not, in words. */
export function presetNameError(name: string, existing: Presets, renaming?: string): string | null {
  if (!/^[a-z0-9_-]{1,24}$/.test(name)) return 'Name: 1–24 lower-case letters, digits, "-" or "_"';
  if ((RESERVED as readonly string[]).includes(name)) {
    return `"${name}" is the ${name === 'sit' ? 'sitting' : 'standing'} height: use "Set as ${name === 'sit' ? 'sitting' : 'standing'} height"`;
  }
  if (name !== renaming && Object.prototype.hasOwnProperty.call(existing, name)) {
    return `A preset named "${name}" exists: delete or rename it first`;
  }
  return null;
}

/** The named presets only (never sit/stand), as presets/set expects them. */
function named(presets: Presets): Presets {
  const out: Presets = {};
  for (const [k, v] of Object.entries(presets)) {
    if (!(RESERVED as readonly string[]).includes(k)) out[k] = v;
  }
  return out;
}

/** presets/set body: the presets with `name` at `mm` added. */
export function withPreset(presets: Presets, name: string, mm: number): { presets: Presets } {
  return { presets: { ...named(presets), [name]: mm } };
}

/** presets/set body: `from` renamed to `to`, its height kept. */
export function renamedPreset(presets: Presets, from: string, to: string): { presets: Presets } {
  const out: Presets = {};
  for (const [k, v] of Object.entries(named(presets))) out[k === from ? to : k] = v;
  return { presets: out };
}

/** presets/set body: `name` deleted. */
export function withoutPreset(presets: Presets, name: string): { presets: Presets } {
  const out = named(presets);
  delete out[name];
  return { presets: out };
}

/** presets/set body: a posture height set to `mm`, the named presets kept as they are. */
export function withPostureHeight(presets: Presets, which: 'sit' | 'stand', mm: number): { presets: Presets } {
  return { presets: { ...named(presets), [which]: mm } };
}
