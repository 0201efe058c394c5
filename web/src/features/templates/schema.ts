// Template fields as the form edits them, with the server's limits (server/src/templates/service.cpp).
import { z } from 'zod';
import { TEMPLATE_PLATFORMS, type Template, type TemplateInput, type TemplatePlatform } from '@/lib/api';

export const BUILTIN_VARIABLES = ['user_name', 'bot_name', 'platform'] as const;
export const MAX_BODY = 2000;

export const PLATFORM_LABELS: Record<TemplatePlatform, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  slack: 'Slack',
  discord: 'Discord',
  twilio: 'SMS (Twilio)',
  webchat: 'Web chat',
};

const body = z.string().max(MAX_BODY, `Use at most ${MAX_BODY.toLocaleString('en')} characters.`);

export const templateSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.'),
    category: z.string().trim().max(50, 'Use at most 50 characters.'),
    trigger_phrases: z
      .array(z.string().trim().min(1).max(100, 'Each trigger phrase is at most 100 characters.'))
      .max(20, 'Use at most 20 trigger phrases.'),
    body: body.refine((value) => value.trim() !== '', 'Write the answer.'),
    variables: z
      .array(
        z.object({
          name: z
            .string()
            .trim()
            .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter.')
            .refine(
              (name) => !(BUILTIN_VARIABLES as readonly string[]).includes(name),
              'This one is built in; no need to declare it.',
            ),
          default: z.string().max(200, 'Defaults are at most 200 characters.'),
        }),
      )
      .max(20, 'Use at most 20 variables.'),
    platform_variants: z.record(z.string(), body),
    manual: z.boolean(),
    /** '' is none (null on the server). */
    action: z.enum(['', 'resolve', 'convert']),
  })
  .superRefine((values, ctx) => {
    // A template without a phrase never fires on its own: it must say it is meant for the AI only.
    if (!values.manual && values.trigger_phrases.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['trigger_phrases'], message: MANUAL_HINT });
    }
    const seen = new Set<string>();
    values.variables.forEach((variable, index) => {
      if (seen.has(variable.name)) {
        ctx.addIssue({ code: 'custom', path: ['variables', index, 'name'], message: 'Declared twice.' });
      }
      seen.add(variable.name);
    });
  });

export const MANUAL_HINT = 'Add a trigger phrase, or mark the template as manual (used only by the AI).';

export type TemplateFormValues = z.infer<typeof templateSchema>;

export const TEMPLATE_FIELDS = [
  'name',
  'category',
  'trigger_phrases',
  'body',
  'variables',
  'platform_variants',
  'manual',
  'action',
] as const;

export const ACTION_LABELS: Record<'' | 'resolve' | 'convert', string> = {
  '': 'None',
  resolve: 'Resolve the conversation',
  convert: 'Record a conversion',
};

export function emptyTemplate(): TemplateFormValues {
  return {
    name: '',
    category: '',
    trigger_phrases: [],
    body: '',
    variables: [],
    platform_variants: Object.fromEntries(TEMPLATE_PLATFORMS.map((platform) => [platform, ''])),
    manual: false,
    action: '',
  };
}

export function templateToForm(template: Template): TemplateFormValues {
  const variants = template.platform_variants as Record<string, string | undefined>;
  return {
    name: template.name,
    category: template.category ?? '',
    trigger_phrases: template.trigger_phrases ?? [],
    body: template.body,
    variables: (template.variables ?? []).map((variable) => ({
      name: variable.name,
      default: variable.default ?? '',
    })),
    platform_variants: Object.fromEntries(
      TEMPLATE_PLATFORMS.map((platform) => [platform, variants[platform] ?? '']),
    ),
    manual: template.manual ?? false,
    action: template.action ?? '',
  };
}

/** Empty platform variants are left out: that platform gets the main body. */
export function formToTemplate(values: TemplateFormValues): TemplateInput {
  return {
    ...values,
    action: values.action === '' ? null : values.action,
    platform_variants: Object.fromEntries(
      Object.entries(values.platform_variants).filter(([, text]) => text.trim() !== ''),
    ),
  };
}
