import { describe, expect, it } from 'vitest';
import { skipLabel } from '../src/skip_label';

describe('skipLabel', () => {
  it('says Skip without a limit, and how many are left with one', () => {
    expect(skipLabel(null, 10)).toEqual({ text: 'Skip', title: '' });
    expect(skipLabel(2, 10)).toEqual({ text: 'Skip', title: '2 skips left today' });
    expect(skipLabel(1, 10).title).toBe('1 skip left today');
  });
  it('says what it will do once the skips are used up', () => {
    expect(skipLabel(0, 15).text).toBe('Snooze 15 min');
    expect(skipLabel(0, null).text).toBe('Snooze 10 min');
    expect(skipLabel(0, 15).title).toMatch(/used up/);
  });
});
