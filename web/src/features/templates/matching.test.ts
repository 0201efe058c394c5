import { describe, expect, it } from 'vitest';
import { matchTemplate, previewInput } from '@/features/templates/matching';
import type { Template } from '@/lib/api';

const template = (id: string, trigger_phrases: string[]): Template => ({
  id,
  name: id,
  category: 'general',
  trigger_phrases,
  body: 'We open at {{opening}}.',
  variables: [{ name: 'opening', default: '9am' }],
  platform_variants: { slack: '*We open at {{opening}}.*' },
  manual: false,
  created_at: '',
  updated_at: '',
});

describe('matchTemplate', () => {
  it('finds a trigger phrase inside a message, ignoring case and punctuation', () => {
    const hours = template('hours', ['opening hours']);
    expect(matchTemplate('What are your Opening-Hours?', [hours])).toBe(hours);
    expect(matchTemplate('do you ship abroad?', [hours])).toBeNull();
    expect(matchTemplate('reopening hours', [hours])).toBeNull();
  });

  it('prefers the longest matching phrase, as the server does', () => {
    const hours = template('hours', ['hours']);
    const holidays = template('holidays', ['holiday opening hours']);
    expect(matchTemplate('Your holiday opening hours?', [hours, holidays])).toBe(holidays);
  });

  it('uses the platform’s own wording when the template has one', () => {
    const input = previewInput(template('t', []), { botName: 'Helper', platform: 'slack' });
    expect(input.body).toBe('*We open at {{opening}}.*');
    expect(input.variables).toMatchObject({ bot_name: 'Helper', platform: 'slack' });
    expect(previewInput(template('t', []), { botName: 'Helper' }).body).toBe('We open at {{opening}}.');
  });
});
