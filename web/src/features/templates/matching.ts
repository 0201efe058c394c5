// Which template answers a message: the one with the longest trigger phrase that appears in it as
// whole words, ignoring case and punctuation (the server's rule before it asks the AI).
import type { Template, TemplatePreviewInput } from '@/lib/api';

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function matchTemplate(message: string, templates: Template[]): Template | null {
  const said = ` ${normalise(message)} `;
  if (said.trim() === '') return null;
  let best: Template | null = null;
  let bestLength = 0;
  for (const template of templates) {
    for (const phrase of template.trigger_phrases) {
      const wanted = normalise(phrase);
      if (wanted.length > bestLength && said.includes(` ${wanted} `)) {
        best = template;
        bestLength = wanted.length;
      }
    }
  }
  return best;
}

/** The preview request for a template as a bot would send it on a platform. */
export function previewInput(
  template: Pick<Template, 'body' | 'variables' | 'platform_variants'>,
  {
    botName,
    platform = 'webchat',
    userName = 'Alex',
  }: { botName: string; platform?: string; userName?: string },
): TemplatePreviewInput {
  const variants = template.platform_variants as Record<string, string | undefined>;
  return {
    body: variants[platform] || template.body,
    variables: { user_name: userName, bot_name: botName, platform },
    defaults: template.variables,
    platform,
  };
}
