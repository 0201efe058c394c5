// The jobs table's filter bar (state, bot, platform, integration, time range, search), kept in the URL.
import * as React from 'react';
import { Search } from 'lucide-react';
import { ClearFiltersButton, FilterField, TimeRangeFields } from '@/components/filter-bar';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { useBots } from '@/features/bots/queries';
import { PLATFORM_META } from '@/features/integrations/platform-meta';
import { useIntegrations } from '@/features/integrations/queries';
import { hasFilters, type FilterName } from '@/features/operations/filters';
import { STATE_LABELS } from '@/features/operations/job-states';
import { JOB_STATES, type JobFilters } from '@/lib/api';

/** Platforms that deliver through webhooks (web chat answers in the browser, without jobs). */
export const WEBHOOK_PLATFORMS = Object.keys(PLATFORM_META).filter((platform) => platform !== 'webchat');

interface JobFiltersBarProps {
  filters: JobFilters;
  onChange: (changes: Partial<Record<FilterName, string | undefined>>) => void;
  onClear: () => void;
}

export function JobFiltersBar({ filters, onChange, onClear }: JobFiltersBarProps) {
  const bots = useBots({ status: 'all' });
  const integrations = useIntegrations();
  const [q, setQ] = React.useState(filters.q ?? '');
  // Follow the URL when it changes from elsewhere (Clear, back and forward).
  React.useEffect(() => setQ(filters.q ?? ''), [filters.q]);

  const shownIntegrations = (integrations.data ?? []).filter(
    (item) => item.platform !== 'webchat' && (!filters.platform || item.platform === filters.platform),
  );
  const select = (name: FilterName) => (event: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) =>
    onChange({ [name]: event.target.value || undefined });

  return (
    <Card className="mb-4">
      <form
        role="search"
        aria-label="Filter the jobs"
        className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ q: q.trim() || undefined });
        }}
      >
        <FilterField id="jobs-q" label="Search" className="sm:col-span-2">
          <div className="flex gap-2">
            <Input
              id="jobs-q"
              type="search"
              autoComplete="off"
              placeholder="Event id, platform message id or user id"
              value={q}
              onChange={(event) => setQ(event.target.value)}
            />
            <Button type="submit" variant="secondary" aria-label="Apply the search">
              <Search />
            </Button>
          </div>
        </FilterField>
        <FilterField id="jobs-state" label="State">
          <NativeSelect id="jobs-state" value={filters.state ?? ''} onChange={select('state')}>
            <option value="">Every state</option>
            {JOB_STATES.map((state) => (
              <option key={state} value={state}>
                {STATE_LABELS[state]}
              </option>
            ))}
          </NativeSelect>
        </FilterField>
        <FilterField id="jobs-bot" label="Bot">
          <NativeSelect id="jobs-bot" value={filters.bot_id ?? ''} onChange={select('bot_id')}>
            <option value="">Every bot</option>
            {(bots.data ?? []).map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
          </NativeSelect>
        </FilterField>
        <FilterField id="jobs-platform" label="Platform">
          <NativeSelect
            id="jobs-platform"
            value={filters.platform ?? ''}
            onChange={(event) => {
              const platform = event.target.value || undefined;
              const integration = integrations.data?.find((item) => item.id === filters.integration_id);
              // An integration of another platform would match nothing.
              const keep = !platform || !integration || integration.platform === platform;
              onChange({ platform, ...(keep ? {} : { integration_id: undefined }) });
            }}
          >
            <option value="">Every platform</option>
            {WEBHOOK_PLATFORMS.map((platform) => (
              <option key={platform} value={platform}>
                {PLATFORM_META[platform].label}
              </option>
            ))}
          </NativeSelect>
        </FilterField>
        <FilterField id="jobs-integration" label="Integration">
          <NativeSelect
            id="jobs-integration"
            value={filters.integration_id ?? ''}
            onChange={select('integration_id')}
          >
            <option value="">Every integration</option>
            {shownIntegrations.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </NativeSelect>
        </FilterField>
        <TimeRangeFields
          idPrefix="jobs"
          fromLabel="Received from"
          toLabel="Received until"
          from={filters.from}
          to={filters.to}
          onChange={onChange}
        />
        <ClearFiltersButton shown={hasFilters(filters)} onClear={onClear} label="Clear" />
      </form>
    </Card>
  );
}
