import { describe, expect, it } from 'vitest';
import { presetNameError, renamedPreset, withPostureHeight, withPreset, withoutPreset } from '../src/preset_edit';

const presets = { focus: 1000, tea: 800 };

describe('preset names', () => {
  it('reserves sit and stand for the posture heights', () => {
    expect(presetNameError('stand', presets)).toMatch(/standing height: use "Set as standing height"/);
    expect(presetNameError('sit', presets)).toMatch(/sitting height/);
  });
  it('refuses malformed names and a name that exists, except the one being renamed', () => {
    expect(presetNameError('Focus', presets)).toMatch(/lower-case/);
    expect(presetNameError('', presets)).toMatch(/lower-case/);
    expect(presetNameError('focus', presets)).toMatch(/exists/);
    expect(presetNameError('focus', presets, 'focus')).toBeNull();
    expect(presetNameError('read', presets)).toBeNull();
  });
});

describe('presets/set bodies', () => {
  it('saving a preset never carries sit or stand', () => {
    expect(withPreset({ ...presets, sit: 700, stand: 1100 }, 'read', 900)).toEqual({ presets: { focus: 1000, tea: 800, read: 900 } });
  });
  it('renames keeping the height, deletes one, and sets a posture height explicitly', () => {
    expect(renamedPreset(presets, 'tea', 'break')).toEqual({ presets: { focus: 1000, break: 800 } });
    expect(withoutPreset(presets, 'tea')).toEqual({ presets: { focus: 1000 } });
    expect(withPostureHeight(presets, 'stand', 1120)).toEqual({ presets: { focus: 1000, tea: 800, stand: 1120 } });
  });
});
