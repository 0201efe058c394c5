// Bot fields as the form edits them, checked with the server's limits (docs/api.md, bot shape).
import { z } from 'zod';
import { MODEL_ID_HINT, MODEL_ID_PATTERN } from '@/features/ai/api';
import type { Bot, BotInput } from '@/lib/api';

export const BOT_LIMITS = {
  name: 80,
  description: 500,
  systemPrompt: 8000,
  greeting: 500,
  fallbackMessage: 500,
  overQuotaMessage: 500,
  model: 100,
} as const;

export const RESOLUTION_PHRASE_LIMITS = { count: 20, length: 100 } as const;

/** As the server counts them: characters (code points), not UTF-16 units. */
const characters = (value: string) => [...value].length;

export const resolutionPhrasesSchema = z
  .array(
    z
      .string()
      .refine((value) => value.trim() !== '', 'Write the phrase, or remove it.')
      .refine(
        (value) => characters(value) <= RESOLUTION_PHRASE_LIMITS.length,
        `Use at most ${RESOLUTION_PHRASE_LIMITS.length} characters a phrase.`,
      )
      .refine((value) => !/[\r\n]/.test(value), 'Keep each phrase on one line.'),
  )
  .max(RESOLUTION_PHRASE_LIMITS.count, `Use at most ${RESOLUTION_PHRASE_LIMITS.count} phrases.`);

export const DEFAULT_MODEL = 'openai/gpt-4o-mini';
export const DEFAULT_SYSTEM_PROMPT =
  'You are a friendly, concise assistant for our customers. Answer in the language of the question. If you do not know, say so and offer to connect a person.';

const text = (max: number, label: string) =>
  z.string().max(max, `${label} can be at most ${max.toLocaleString('en')} characters.`);

const number = (label: string, min: number, max: number, integer: boolean) => {
  let schema = z.number({ invalid_type_error: `Enter ${label} between ${min} and ${max}.` });
  if (integer) schema = schema.int(`Enter a whole number between ${min} and ${max}.`);
  return schema
    .min(min, `Enter ${label} between ${min} and ${max}.`)
    .max(max, `Enter ${label} between ${min} and ${max}.`);
};

export const botSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name.')
    .max(BOT_LIMITS.name, `Use at most ${BOT_LIMITS.name} characters.`),
  description: text(BOT_LIMITS.description, 'The description'),
  avatar_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour such as #4f46e5.'),
  avatar_url: z
    .string()
    .trim()
    .max(2048, 'Use at most 2,048 characters.')
    .refine(
      (value) => value === '' || /^https?:\/\/[^\s/?#]+\S*$/i.test(value),
      'Enter a full http:// or https:// address of an image, or nothing.',
    ),
  system_prompt: text(BOT_LIMITS.systemPrompt, 'The system prompt'),
  model: z.string().trim().max(BOT_LIMITS.model, MODEL_ID_HINT).regex(MODEL_ID_PATTERN, MODEL_ID_HINT),
  temperature: number('a temperature', 0, 2, false),
  max_tokens: number('a token limit', 1, 4096, true),
  greeting: text(BOT_LIMITS.greeting, 'The greeting'),
  fallback_message: text(BOT_LIMITS.fallbackMessage, 'The fallback message')
    .trim()
    .min(1, 'Enter what the bot says when it has no answer.'),
  /** Empty: the fallback message answers past the monthly quota. */
  over_quota_message: text(BOT_LIMITS.overQuotaMessage, 'The over-quota notice').trim(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as en, de or pt-BR.'),
  history_turns: number('a number of turns', 0, 50, true),
  ask_satisfaction: z.boolean(),
  resolution_phrases: resolutionPhrasesSchema,
  template_ids: z.array(z.string()),
});

export type BotFormValues = z.infer<typeof botSchema>;

export const BOT_FIELDS = Object.keys(botSchema.shape) as (keyof BotFormValues)[];

export function botToForm(bot: Bot): BotFormValues {
  return {
    name: bot.name,
    description: bot.description ?? '',
    avatar_color: bot.avatar_color || '#4f46e5',
    avatar_url: bot.avatar_url ?? '',
    system_prompt: bot.system_prompt ?? '',
    model: bot.model,
    temperature: bot.temperature,
    max_tokens: bot.max_tokens,
    greeting: bot.greeting ?? '',
    fallback_message: bot.fallback_message ?? '',
    over_quota_message: bot.over_quota_message ?? '',
    language: bot.language || 'en',
    history_turns: bot.history_turns,
    ask_satisfaction: bot.ask_satisfaction,
    resolution_phrases: bot.resolution_phrases ?? [],
    template_ids: bot.template_ids ?? [],
  };
}

export function formToBot(values: BotFormValues): BotInput {
  return {
    ...values,
    avatar_url: values.avatar_url === '' ? null : values.avatar_url,
    over_quota_message: values.over_quota_message === '' ? null : values.over_quota_message,
    resolution_phrases: values.resolution_phrases.map((phrase) => phrase.trim()),
  };
}

/** The "create a bot" dialog asks for three things; the rest starts at sensible defaults. */
export const newBotSchema = z.object({
  name: botSchema.shape.name,
  model: botSchema.shape.model,
  system_prompt: botSchema.shape.system_prompt,
});
export type NewBotValues = z.infer<typeof newBotSchema>;
