import { describe, expect, it } from 'vitest';
import { checkinLabel, comfortCommand, comfortMean, comfortText, comfortValue } from '../src/comfort';
import { decodeSchedule } from '../src/schedule';

describe('comfort answers', () => {
  it('sends whole numbers 1..5 as {"comfort":N}', () => {
    for (const n of [1, 2, 3, 4, 5]) expect(comfortCommand(n)).toEqual({ comfort: n });
  });
  it('sends nothing deskd would refuse', () => {
    for (const n of [0, 6, 2.5, -1, Number.NaN]) expect(comfortCommand(n)).toBeNull();
    expect(comfortValue('3')).toBeNull();
    expect(comfortValue(undefined)).toBeNull();
  });
  it('shows a mean with one decimal out of 5', () => {
    expect(comfortText(4)).toBe('4 / 5');
    expect(comfortText(3.666)).toBe('3.7 / 5');
    expect(comfortText(3.96)).toBe('4 / 5');
    expect(comfortText(null)).toBe('—');
    expect(comfortMean(0.5)).toBeNull();
    expect(comfortMean(5)).toBe(5);
  });
});

describe('comfort_checkin in the schedule document', () => {
  it('reads the three settings and falls back to off', () => {
    expect(decodeSchedule(JSON.stringify({ comfort_checkin: 'after_stand' }))!.comfort_checkin).toBe('after_stand');
    expect(decodeSchedule(JSON.stringify({ comfort_checkin: 'daily' }))!.comfort_checkin).toBe('daily');
    expect(decodeSchedule(JSON.stringify({ comfort_checkin: 'weekly' }))!.comfort_checkin).toBe('off');
    expect(decodeSchedule(JSON.stringify({}))!.comfort_checkin).toBe('off');
    expect(checkinLabel('after_stand')).toBe('after each standing period');
  });
});
