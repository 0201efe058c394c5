// Live preview beside the bot form: the greeting as the visitor sees it, and which attached
// template would answer a sample message, rendered by the server.
import * as React from 'react';
import { Loader2 } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { BotAvatar } from '@/features/bots/bot-avatar';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { matchTemplate, previewInput } from '@/features/templates/matching';
import { useTemplatePreview } from '@/features/templates/use-template-preview';
import type { Template } from '@/lib/api';

interface BotPreviewProps {
  name: string;
  color: string;
  greeting: string;
  fallbackMessage: string;
  templates: Template[];
}

export function BotPreview({ name, color, greeting, fallbackMessage, templates }: BotPreviewProps) {
  const [sample, setSample] = React.useState(
    templates[0]?.trigger_phrases[0]
      ? `What about ${templates[0].trigger_phrases[0]}?`
      : 'What are your opening hours?',
  );
  const match = matchTemplate(sample, templates);
  const preview = useTemplatePreview(match ? previewInput(match, { botName: name }) : null);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Preview</CardTitle>
        <CardDescription>What a visitor of the web chat sees.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex items-center gap-2.5 border-b pb-3">
          <BotAvatar name={name} color={color} />
          <span className="truncate text-sm font-medium">{name || 'Your bot'}</span>
        </div>
        <div className="space-y-3" aria-label="Preview conversation">
          {greeting.trim() ? (
            <ChatBubble from="bot">{greeting}</ChatBubble>
          ) : (
            <p className="text-xs text-muted-foreground">No greeting: the bot waits for the visitor.</p>
          )}
          {sample.trim() ? <ChatBubble from="visitor">{sample}</ChatBubble> : null}
          {sample.trim() ? (
            match ? (
              <ChatBubble from="bot" meta={<>Template “{match.name}” answers</>}>
                {preview.isError ? (
                  <span className="text-red-600">{preview.error.message}</span>
                ) : preview.data ? (
                  preview.data.text
                ) : (
                  <Loader2 className="size-4 animate-spin" aria-label="Rendering" />
                )}
              </ChatBubble>
            ) : (
              <ChatBubble
                from="bot"
                meta={<>No template matches: AI answers, or this fallback when AI cannot</>}
              >
                {fallbackMessage || '…'}
              </ChatBubble>
            )
          ) : null}
        </div>
        <div className="grid gap-1.5">
          <label htmlFor="preview-sample" className="text-xs font-medium text-muted-foreground">
            Sample message
          </label>
          <Input id="preview-sample" value={sample} onChange={(event) => setSample(event.target.value)} />
        </div>
      </CardContent>
    </Card>
  );
}
