import { describe, expect, it } from 'vitest';
import { botSchema, botToForm, formToBot, newBotSchema } from '@/features/bots/schema';
import type { Bot } from '@/lib/api';

const bot: Bot = {
  id: 'bot_1',
  name: 'Helper',
  description: '',
  avatar_color: '#4f46e5',
  avatar_url: null,
  system_prompt: 'Be nice.',
  model: 'openai/gpt-4o-mini',
  temperature: 0.7,
  max_tokens: 512,
  greeting: 'Hi!',
  fallback_message: 'Sorry, I do not know.',
  language: 'en',
  history_turns: 10,
  ask_satisfaction: false,
  template_ids: [],
  status: 'active',
  version: 1,
  created_at: '2026-11-25T19:40:00Z',
  updated_at: '2026-11-25T19:40:00Z',
};

function errors(values: object) {
  const result = botSchema.safeParse({ ...botToForm(bot), ...values });
  return result.success ? {} : result.error.flatten().fieldErrors;
}

describe('botSchema', () => {
  it('accepts a bot as the server sends it, and sends an empty avatar URL as null', () => {
    expect(errors({})).toEqual({});
    expect(formToBot(botToForm(bot)).avatar_url).toBeNull();
  });

  it('keeps numbers inside the server’s ranges', () => {
    expect(errors({ temperature: 2.5 }).temperature).toEqual(['Enter a temperature between 0 and 2.']);
    expect(errors({ temperature: 0 })).toEqual({});
    expect(errors({ max_tokens: 0 }).max_tokens).toBeDefined();
    expect(errors({ max_tokens: 4097 }).max_tokens).toBeDefined();
    expect(errors({ max_tokens: 12.5 }).max_tokens).toEqual(['Enter a whole number between 1 and 4096.']);
    expect(errors({ history_turns: 51 }).history_turns).toBeDefined();
    expect(errors({ history_turns: Number.NaN }).history_turns).toBeDefined();
  });

  it('checks the colour, the avatar address, the language and the required texts', () => {
    expect(errors({ avatar_color: 'blue' }).avatar_color).toEqual(['Use a colour such as #4f46e5.']);
    expect(errors({ avatar_url: 'ftp://x' }).avatar_url).toBeDefined();
    expect(errors({ avatar_url: 'https://cdn.example.com/a.png' })).toEqual({});
    expect(errors({ language: 'english' }).language).toBeDefined();
    expect(errors({ language: 'pt-BR' })).toEqual({});
    expect(errors({ name: '   ' }).name).toEqual(['Enter a name.']);
    expect(errors({ fallback_message: '' }).fallback_message).toBeDefined();
    expect(errors({ greeting: 'x'.repeat(501) }).greeting).toBeDefined();
    expect(errors({ name: 'x'.repeat(81) }).name).toBeDefined();
    expect(errors({ model: 'gpt-4o' }).model).toBeDefined();
    expect(errors({ language: 'EN' }).language).toBeDefined();
  });

  it('keeps the over-quota notice optional: empty or blank is sent as null, a long one is refused', () => {
    expect(botToForm(bot).over_quota_message).toBe('');
    expect(formToBot(botToForm(bot)).over_quota_message).toBeNull();
    expect(botToForm({ ...bot, over_quota_message: 'Back soon.' }).over_quota_message).toBe('Back soon.');
    expect(formToBot({ ...botToForm(bot), over_quota_message: 'Back soon.' }).over_quota_message).toBe(
      'Back soon.',
    );
    const blank = botSchema.parse({ ...botToForm(bot), over_quota_message: '   ' });
    expect(formToBot(blank).over_quota_message).toBeNull();
    expect(errors({ over_quota_message: 'x'.repeat(501) }).over_quota_message).toEqual([
      'The over-quota notice can be at most 500 characters.',
    ]);
  });

  it('asks only for name, model and prompt when creating', () => {
    expect(
      newBotSchema.safeParse({ name: 'A', model: 'openai/gpt-4o-mini', system_prompt: '' }).success,
    ).toBe(true);
    expect(newBotSchema.safeParse({ name: '', model: '', system_prompt: '' }).success).toBe(false);
  });
});
