// The Analytics filter bar: range presets or custom dates (days in the organisation's time zone),
// bot, platform, deployment and template, all kept in the URL.
import * as React from 'react';
import { Globe } from 'lucide-react';
import { ClearFiltersButton, FilterField } from '@/components/filter-bar';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { PRESETS, type AnalyticsQuery, type AnalyticsRange } from '@/features/analytics/api';
import {
  DEFAULT_PRESET,
  PRESET_LABELS,
  hasSegmentFilters,
  type AnalyticsFilterName,
} from '@/features/analytics/filters';
import { useBots, useDeployments } from '@/features/bots/queries';
import { CONVERSATION_PLATFORMS, deploymentLabel } from '@/features/conversations/conversation-filters';
import { platformLabel } from '@/features/conversations/platforms';
import { useTemplates } from '@/features/templates/queries';
import { cn } from '@/lib/utils';

interface AnalyticsFiltersBarProps {
  query: AnalyticsQuery;
  /** The range the server answered for (its dates and time zone), once known. */
  range: AnalyticsRange | undefined;
  onChange: (changes: Partial<Record<AnalyticsFilterName, string | undefined>>) => void;
  onClear: () => void;
}

export function AnalyticsFiltersBar({ query, range, onChange, onClear }: AnalyticsFiltersBarProps) {
  const bots = useBots({ status: 'all' });
  const deployments = useDeployments();
  const templates = useTemplates();
  const custom = Boolean(query.from && query.to);
  const [editing, setEditing] = React.useState(custom);
  const [from, setFrom] = React.useState(query.from ?? range?.from ?? '');
  const [to, setTo] = React.useState(query.to ?? range?.to ?? '');
  React.useEffect(() => {
    if (custom) {
      setFrom(query.from ?? '');
      setTo(query.to ?? '');
    }
  }, [custom, query.from, query.to]);

  const select = (name: AnalyticsFilterName) => (event: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ [name]: event.target.value || undefined });
  const shownDeployments = (deployments.data ?? []).filter(
    (deployment) =>
      (!query.bot_id || deployment.bot_id === query.bot_id) &&
      (!query.platform || deployment.channel === query.platform),
  );
  const presetChosen = custom ? null : (query.preset ?? DEFAULT_PRESET);

  return (
    <Card className="mb-4">
      <form
        role="search"
        aria-label="Filter the analytics"
        className="grid grid-cols-[minmax(0,1fr)] gap-3 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (from && to) onChange({ from, to, preset: undefined });
        }}
      >
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div role="group" aria-label="Range" className="flex flex-wrap gap-1 rounded-lg bg-muted p-1">
            {PRESETS.map((preset) => (
              <button
                key={preset}
                type="button"
                aria-pressed={presetChosen === preset && !editing}
                onClick={() => {
                  setEditing(false);
                  onChange({
                    preset: preset === DEFAULT_PRESET ? undefined : preset,
                    from: undefined,
                    to: undefined,
                  });
                }}
                className={cn(
                  'rounded-md px-3 py-1 text-sm font-medium text-muted-foreground transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                  presetChosen === preset && !editing && 'bg-background text-foreground shadow',
                )}
              >
                {PRESET_LABELS[preset]}
              </button>
            ))}
            <button
              type="button"
              aria-pressed={custom || editing}
              onClick={() => {
                setEditing(true);
                if (!from && range) setFrom(range.from);
                if (!to && range) setTo(range.to);
              }}
              className={cn(
                'rounded-md px-3 py-1 text-sm font-medium text-muted-foreground transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                (custom || editing) && 'bg-background text-foreground shadow',
              )}
            >
              Custom
            </button>
          </div>
          <p className="flex items-center gap-1.5 text-xs text-muted-foreground" aria-live="polite">
            <Globe className="size-3.5" aria-hidden="true" />
            {range ? (
              <span>
                {range.from === range.to ? range.from : `${range.from} – ${range.to}`}, days in{' '}
                <span className="font-medium text-foreground">{range.tz}</span>
              </span>
            ) : (
              <span>Days in the organization’s time zone</span>
            )}
          </p>
        </div>
        {editing || custom ? (
          <div className="flex flex-wrap items-end gap-3">
            <FilterField id="analytics-from" label="From">
              <Input
                id="analytics-from"
                type="date"
                value={from}
                max={to || undefined}
                onChange={(event) => setFrom(event.target.value)}
              />
            </FilterField>
            <FilterField id="analytics-to" label="To">
              <Input
                id="analytics-to"
                type="date"
                value={to}
                min={from || undefined}
                onChange={(event) => setTo(event.target.value)}
              />
            </FilterField>
            <Button type="submit" variant="secondary" disabled={!from || !to || from > to}>
              Apply
            </Button>
          </div>
        ) : null}
        <div className="grid grid-cols-[minmax(0,1fr)] gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <FilterField id="analytics-bot" label="Bot">
            <NativeSelect id="analytics-bot" value={query.bot_id ?? ''} onChange={select('bot_id')}>
              <option value="">Every bot</option>
              {(bots.data ?? []).map((bot) => (
                <option key={bot.id} value={bot.id}>
                  {bot.name}
                </option>
              ))}
              {query.bot_id && !(bots.data ?? []).some((bot) => bot.id === query.bot_id) ? (
                <option value={query.bot_id}>Unknown bot</option>
              ) : null}
            </NativeSelect>
          </FilterField>
          <FilterField id="analytics-platform" label="Platform">
            <NativeSelect id="analytics-platform" value={query.platform ?? ''} onChange={select('platform')}>
              <option value="">Every platform</option>
              {CONVERSATION_PLATFORMS.map((platform) => (
                <option key={platform} value={platform}>
                  {platformLabel(platform)}
                </option>
              ))}
              {query.platform && !(CONVERSATION_PLATFORMS as readonly string[]).includes(query.platform) ? (
                <option value={query.platform}>{query.platform}</option>
              ) : null}
            </NativeSelect>
          </FilterField>
          <FilterField id="analytics-deployment" label="Deployment">
            <NativeSelect
              id="analytics-deployment"
              value={query.deployment_id ?? ''}
              onChange={select('deployment_id')}
            >
              <option value="">Every deployment</option>
              {shownDeployments.map((deployment) => (
                <option key={deployment.id} value={deployment.id}>
                  {deploymentLabel(deployment)}
                </option>
              ))}
              {query.deployment_id && !shownDeployments.some((d) => d.id === query.deployment_id) ? (
                <option value={query.deployment_id}>Unknown deployment</option>
              ) : null}
            </NativeSelect>
          </FilterField>
          <FilterField id="analytics-template" label="Template">
            <NativeSelect
              id="analytics-template"
              value={query.template_id ?? ''}
              onChange={select('template_id')}
            >
              <option value="">Every template</option>
              {(templates.data ?? []).map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
              {query.template_id && !(templates.data ?? []).some((t) => t.id === query.template_id) ? (
                <option value={query.template_id}>Unknown template</option>
              ) : null}
            </NativeSelect>
          </FilterField>
          <ClearFiltersButton
            shown={
              hasSegmentFilters(query) || custom || Boolean(query.preset && query.preset !== DEFAULT_PRESET)
            }
            onClear={() => {
              setEditing(false);
              onClear();
            }}
          />
        </div>
      </form>
    </Card>
  );
}
