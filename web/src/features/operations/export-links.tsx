// Downloads of the jobs matching the current filters, with their attempt logs, as JSON lines or CSV.
import { Download } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { api, type JobFilters } from '@/lib/api';

export function ExportLinks({ filters }: { filters: JobFilters }) {
  return (
    <>
      {(['jsonl', 'csv'] as const).map((format) => (
        <Button key={format} asChild variant="outline" size="sm">
          <a
            href={api.jobs.exportUrl(filters, format)}
            download
            aria-label={`Download matching logs as ${format.toUpperCase()}`}
          >
            <Download />
            {format.toUpperCase()}
          </a>
        </Button>
      ))}
    </>
  );
}
