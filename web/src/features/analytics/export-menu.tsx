// Export as CSV with the current filters: conversations, messages or webhook events. The file is read
// as it streams in, with the rows received so far shown; a refusal (plan, role) is a toast.
import * as React from 'react';
import { Download, Loader2, X } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { analyticsApi, downloadCsv, type AnalyticsQuery, type ExportKind } from '@/features/analytics/api';
import { saveFile } from '@/features/analytics/save-file';
import { isApiError } from '@/lib/api';

const KINDS: { kind: ExportKind; label: string; hint: string }[] = [
  { kind: 'conversations', label: 'Conversations', hint: 'One row per conversation' },
  { kind: 'messages', label: 'Messages', hint: 'Every message, with its text' },
  { kind: 'events', label: 'Webhook events', hint: 'What the platforms delivered' },
];

const count = new Intl.NumberFormat('en-US');

interface ExportMenuProps {
  query: AnalyticsQuery;
  /** Messages and events hold what people wrote: owners and admins only. */
  canExportAll: boolean;
}

export function ExportMenu({ query, canExportAll }: ExportMenuProps) {
  const [running, setRunning] = React.useState<{ kind: ExportKind; rows: number } | null>(null);
  const abort = React.useRef<AbortController | null>(null);
  React.useEffect(() => () => abort.current?.abort(), []);

  const start = async (kind: ExportKind) => {
    const controller = new AbortController();
    abort.current = controller;
    setRunning({ kind, rows: 0 });
    try {
      const file = await downloadCsv(
        analyticsApi.exportUrl(kind, query),
        (rows) => setRunning({ kind, rows }),
        controller.signal,
      );
      saveFile(file.blob, file.filename);
      toast.success(`Exported ${count.format(file.rows)} ${file.rows === 1 ? 'row' : 'rows'}`, {
        description: file.filename,
      });
    } catch (error) {
      if (!controller.signal.aborted) {
        toast.error(isApiError(error, 402) || isApiError(error, 403) ? error.message : 'The export failed', {
          description: isApiError(error, 402) || isApiError(error, 403) ? undefined : errorText(error),
        });
      }
    } finally {
      if (abort.current === controller) abort.current = null;
      setRunning(null);
    }
  };

  if (running) {
    const label = KINDS.find((entry) => entry.kind === running.kind)?.label ?? running.kind;
    return (
      <div className="flex items-center gap-2">
        <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden="true" />
          Exporting {label.toLowerCase()}… {count.format(running.rows)} rows
        </p>
        <Button
          variant="ghost"
          size="icon"
          aria-label="Cancel the export"
          onClick={() => abort.current?.abort()}
        >
          <X />
        </Button>
      </div>
    );
  }
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Download />
          Export
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {KINDS.filter((entry) => entry.kind === 'conversations' || canExportAll).map((entry) => (
          <DropdownMenuItem key={entry.kind} onSelect={() => void start(entry.kind)}>
            <div className="grid">
              <span>{entry.label} (CSV)</span>
              <span className="text-xs text-muted-foreground">{entry.hint}</span>
            </div>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function errorText(error: unknown): string | undefined {
  return error instanceof Error ? error.message : undefined;
}
