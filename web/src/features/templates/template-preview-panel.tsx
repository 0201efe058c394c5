// Live preview of a template being edited: sample values in, the server's rendering (or its 422
// message saying what is wrong with the body) out.
import * as React from 'react';
import { AlertCircle, Loader2 } from 'lucide-react';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { PLATFORM_LABELS } from '@/features/templates/schema';
import { useTemplatePreview } from '@/features/templates/use-template-preview';
import { isApiError, TEMPLATE_PLATFORMS, type TemplatePlatform, type TemplateVariable } from '@/lib/api';

interface TemplatePreviewPanelProps {
  body: string;
  variables: TemplateVariable[];
  platformVariants: Record<string, string>;
  /** Debounce before asking the server; tests pass 0. */
  delayMs?: number;
}

export function TemplatePreviewPanel({
  body,
  variables,
  platformVariants,
  delayMs,
}: TemplatePreviewPanelProps) {
  const [platform, setPlatform] = React.useState<TemplatePlatform>('webchat');
  const [samples, setSamples] = React.useState<Record<string, string>>({
    user_name: 'Alex',
    bot_name: 'Helper',
  });
  const declared = variables.filter((variable) => /^[a-z][a-z0-9_]*$/.test(variable.name));
  const text = platformVariants[platform]?.trim() ? platformVariants[platform] : body;
  const values: Record<string, string> = { platform };
  for (const [name, value] of Object.entries(samples)) if (value !== '') values[name] = value;
  const preview = useTemplatePreview(
    text.trim() ? { body: text, variables: values, defaults: declared, platform } : null,
    delayMs,
  );

  const sampleField = (name: string, placeholder?: string) => (
    <div key={name} className="grid gap-1">
      <label htmlFor={`sample-${name}`} className="font-mono text-xs text-muted-foreground">
        {`{{${name}}}`}
      </label>
      <Input
        id={`sample-${name}`}
        className="h-8"
        placeholder={placeholder}
        value={samples[name] ?? ''}
        onChange={(event) => setSamples((previous) => ({ ...previous, [name]: event.target.value }))}
      />
    </div>
  );

  return (
    <section aria-label="Template preview" className="grid gap-3 rounded-lg border bg-muted/20 p-4">
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-sm font-semibold">Preview</h3>
        <div className="w-40">
          <NativeSelect
            aria-label="Preview platform"
            className="h-8"
            value={platform}
            onChange={(event) => setPlatform(event.target.value as TemplatePlatform)}
          >
            {TEMPLATE_PLATFORMS.map((option) => (
              <option key={option} value={option}>
                {PLATFORM_LABELS[option]}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      <div className="grid gap-2 sm:grid-cols-2">
        {sampleField('user_name')}
        {sampleField('bot_name')}
        {declared.map((variable) => sampleField(variable.name, variable.default || 'default'))}
      </div>
      <div className="min-h-12" aria-live="polite">
        {!text.trim() ? (
          <p className="text-sm text-muted-foreground">Write the answer to see it here.</p>
        ) : preview.isError ? (
          <p role="alert" className="flex items-start gap-2 text-sm text-red-700">
            <AlertCircle className="mt-0.5 size-4 shrink-0" />
            {(isApiError(preview.error) && preview.error.fields.body) || preview.error.message}
          </p>
        ) : preview.data ? (
          <ChatBubble from="bot" className={preview.isFetching ? 'opacity-70' : undefined}>
            {preview.data.text}
          </ChatBubble>
        ) : (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 className="size-4 animate-spin" /> Rendering…
          </p>
        )}
      </div>
    </section>
  );
}
