import { describe, expect, it } from 'vitest';
import { fieldError } from '../src/form_error';

const labels = new Map([
  ['sit_minutes', 'Sit (minutes)'],
  ['progression.start_minutes', 'Progression: start with (minutes standing)'],
  ['progression.target_minutes', 'Progression: up to (minutes)'],
  ['breaks.every_minutes', 'Movement breaks: every (minutes)'],
  ['breaks.duration_minutes', 'Movement breaks: walk for (minutes)'],
]);

describe('fieldError', () => {
  it('names the field by its label, not its key', () => {
    expect(fieldError('sit_minutes: must be between 5 and 240', labels)).toEqual({
      field: 'sit_minutes', text: 'Sit (minutes): must be between 5 and 240',
    });
    expect(fieldError('mon: 09:00-12:00 and 11:00-13:00 overlap', labels)).toEqual({
      field: 'windows.mon', text: 'Monday working hours: 09:00-12:00 and 11:00-13:00 overlap',
    });
  });
  it('reads other keys in the message as labels of the same group', () => {
    expect(fieldError('breaks.duration_minutes: must be shorter than every_minutes', labels).text)
      .toBe('Movement breaks: walk for (minutes): must be shorter than "Movement breaks: every (minutes)"');
    expect(fieldError('progression.start_minutes: must not exceed target_minutes', labels).text)
      .toBe('Progression: start with (minutes standing): must not exceed "Progression: up to (minutes)"');
  });
  it('keeps a message that names no known field as it is', () => {
    expect(fieldError('not saved: disk full', labels)).toEqual({ field: null, text: 'not saved: disk full' });
    expect(fieldError('something went wrong', labels)).toEqual({ field: null, text: 'something went wrong' });
  });
});
