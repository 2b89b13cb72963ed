import { describe, expect, it } from 'vitest';
import { FAULTS } from '../src/desk_state';
import { faultGuide, stepsText } from '../src/fault_guide';

describe('faultGuide', () => {
  it('has words and a check for every fault deskd reports', () => {
    for (const f of FAULTS.filter((x) => x !== 'none')) {
      const g = faultGuide(f, true);
      expect(g.what, f).not.toMatch(/reported a fault/);
      expect(g.check.length, f).toBeGreaterThan(10);
      expect(g.steps[0], f).toBe('clear_fault');
    }
  });

  it('guides one recovery: clear the obstacle, then Clear fault, then Calibrate when needed', () => {
    expect(faultGuide('obstruction', true)).toMatchObject({ steps: ['clear_fault'] });
    expect(faultGuide('obstruction', false).steps).toEqual(['clear_fault', 'calibrate']);
    expect(faultGuide('sensor', true).steps).toEqual(['clear_fault', 'calibrate']);
    expect(stepsText(['clear_fault', 'calibrate'])).toBe('Then press Clear fault, then Calibrate.');
  });

  it('still says something useful for a code this page does not know', () => {
    const g = faultGuide('E42', true);
    expect(g.what).toBe('The desk reported a fault (E42).');
    expect(g.steps).toEqual(['clear_fault']);
  });
});
