// A read-only value (a link, a secret key) with a Copy button.
import * as React from 'react';
import { Check, Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';

async function copyText(text: string, fallbackInput: HTMLInputElement | null) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin, a denied permission): select the text and copy it.
    fallbackInput?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

interface CopyFieldProps {
  value: string;
  label: string;
  className?: string;
  mono?: boolean;
}

export function CopyField({ value, label, className, mono = true }: CopyFieldProps) {
  const inputRef = React.useRef<HTMLInputElement>(null);
  const [copied, setCopied] = React.useState(false);
  const id = React.useId();

  React.useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <div className={cn('flex gap-2', className)}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input
        ref={inputRef}
        id={id}
        readOnly
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className={cn('bg-muted/40', mono && 'font-mono text-xs')}
      />
      <Button
        type="button"
        variant="outline"
        className="shrink-0"
        onClick={async () => {
          if (await copyText(value, inputRef.current)) setCopied(true);
          else toast.error('Could not copy', { description: 'Select the text and copy it yourself.' });
        }}
      >
        {copied ? <Check className="text-emerald-600" /> : <Copy />}
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}
