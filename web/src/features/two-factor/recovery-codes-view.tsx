// Recovery codes, shown once: copy them, download them as a .txt file, and confirm they are saved
// before moving on.
import * as React from 'react';
import { Check, Copy, Download, KeyRound } from 'lucide-react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { recoveryCodesText } from '@/features/two-factor/format';

interface RecoveryCodesViewProps {
  codes: string[];
  /** The account they belong to, written into the file. */
  account: string;
  onDone: () => void;
  doneLabel?: string;
}

export function RecoveryCodesView({ codes, account, onDone, doneLabel = 'Done' }: RecoveryCodesViewProps) {
  const [saved, setSaved] = React.useState(false);
  const [copied, setCopied] = React.useState(false);
  const checkboxId = React.useId();
  const text = recoveryCodesText(codes, account);

  React.useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      toast.error('Could not copy', { description: 'Download the codes instead, or select and copy them.' });
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'switchboard-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked after the browser has started the download.
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="grid gap-4">
      <Alert variant="warning">
        <KeyRound />
        <span>
          Save these recovery codes now: they are shown only this once. Each one signs you in once if you lose
          your phone or cannot use your authenticator app.
        </span>
      </Alert>
      <ol
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border bg-muted/30 px-4 py-3 font-mono text-sm sm:grid-cols-2"
      >
        {codes.map((code) => (
          <li key={code} className="select-all tabular-nums">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={copy}>
          {copied ? <Check className="text-emerald-600" /> : <Copy />}
          {copied ? 'Copied' : 'Copy codes'}
        </Button>
        <Button type="button" variant="outline" onClick={download}>
          <Download />
          Download .txt
        </Button>
      </div>
      <div className="flex items-start gap-2">
        <input
          id={checkboxId}
          type="checkbox"
          checked={saved}
          onChange={(event) => setSaved(event.target.checked)}
          className="mt-0.5 size-4 shrink-0 accent-primary"
        />
        <label htmlFor={checkboxId} className="text-sm">
          I have saved my recovery codes somewhere safe
        </label>
      </div>
      <div className="flex justify-end">
        <Button type="button" disabled={!saved} onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}
