// The Conversations page's filter bar: words in a message, the person, bot, platform, deployment,
// status, resolution and time range, all kept in the URL.
import * as React from 'react';
import { Search } from 'lucide-react';
import { ClearFiltersButton, FilterField, TimeRangeFields } from '@/components/filter-bar';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { useBots, useDeployments } from '@/features/bots/queries';
import type { ConversationFilters } from '@/features/conversations/api';
import { hasFilters, type FilterName } from '@/features/conversations/filters';
import { platformLabel } from '@/features/conversations/platforms';
import type { Deployment } from '@/lib/api';

/** Every platform a conversation can be on (the server's list), the test console first. */
export const CONVERSATION_PLATFORMS = [
  'console',
  'webchat',
  'telegram',
  'whatsapp',
  'messenger',
  'slack',
  'discord',
  'twilio',
] as const;

export function deploymentLabel(deployment: Deployment): string {
  const where = deployment.integration_name ?? platformLabel(deployment.channel);
  return `${deployment.bot_name} · ${where}`;
}

interface ConversationFiltersBarProps {
  filters: ConversationFilters;
  onChange: (changes: Partial<Record<FilterName, string | undefined>>) => void;
  onClear: () => void;
}

export function ConversationFiltersBar({ filters, onChange, onClear }: ConversationFiltersBarProps) {
  const bots = useBots({ status: 'all' });
  const deployments = useDeployments();
  const [q, setQ] = React.useState(filters.q ?? '');
  const [user, setUser] = React.useState(filters.user ?? '');
  // Follow the URL when it changes from elsewhere (Clear filters, back and forward).
  React.useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  React.useEffect(() => setUser(filters.user ?? ''), [filters.user]);

  const shownDeployments = (deployments.data ?? []).filter(
    (deployment) =>
      (!filters.bot_id || deployment.bot_id === filters.bot_id) &&
      (!filters.platform || deployment.channel === filters.platform),
  );
  const chosen = deployments.data?.find((deployment) => deployment.id === filters.deployment_id);
  const chosenDeploymentLabel = chosen ? deploymentLabel(chosen) : 'Unknown deployment';
  const select = (name: FilterName) => (event: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ [name]: event.target.value || undefined });
  // A deployment of another bot or platform would match nothing: choosing those lets it go.
  const deploymentStays = (changes: { bot_id?: string; platform?: string }) => {
    if (!chosen) return true;
    return (
      (!changes.bot_id || chosen.bot_id === changes.bot_id) &&
      (!changes.platform || chosen.channel === changes.platform)
    );
  };

  return (
    <Card className="mb-4">
      <form
        role="search"
        aria-label="Filter the conversations"
        className="grid grid-cols-[minmax(0,1fr)] gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ q: q.trim() || undefined, user: user.trim() || undefined });
        }}
      >
        <FilterField id="conversations-q" label="Search messages" className="sm:col-span-2">
          <Input
            id="conversations-q"
            type="search"
            autoComplete="off"
            maxLength={500}
            placeholder="Words a message contains"
            value={q}
            onChange={(event) => setQ(event.target.value)}
          />
        </FilterField>
        <FilterField id="conversations-user" label="Person">
          <Input
            id="conversations-user"
            type="search"
            autoComplete="off"
            maxLength={200}
            placeholder="Name or platform user id"
            value={user}
            onChange={(event) => setUser(event.target.value)}
          />
        </FilterField>
        <div className="flex items-end">
          <Button type="submit" variant="secondary" className="w-full sm:w-auto">
            <Search />
            Search
          </Button>
        </div>
        <FilterField id="conversations-bot" label="Bot">
          <NativeSelect
            id="conversations-bot"
            value={filters.bot_id ?? ''}
            onChange={(event) => {
              const botId = event.target.value || undefined;
              onChange({
                bot_id: botId,
                ...(deploymentStays({ bot_id: botId }) ? {} : { deployment_id: undefined }),
              });
            }}
          >
            <option value="">Every bot</option>
            {(bots.data ?? []).map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
            {filters.bot_id && bots.data && !bots.data.some((bot) => bot.id === filters.bot_id) ? (
              <option value={filters.bot_id}>Unknown bot</option>
            ) : null}
          </NativeSelect>
        </FilterField>
        <FilterField id="conversations-platform" label="Platform">
          <NativeSelect
            id="conversations-platform"
            value={filters.platform ?? ''}
            onChange={(event) => {
              const platform = event.target.value || undefined;
              onChange({
                platform,
                ...(deploymentStays({ platform }) ? {} : { deployment_id: undefined }),
              });
            }}
          >
            <option value="">Every platform</option>
            {CONVERSATION_PLATFORMS.map((platform) => (
              <option key={platform} value={platform}>
                {platformLabel(platform)}
              </option>
            ))}
            {filters.platform && !(CONVERSATION_PLATFORMS as readonly string[]).includes(filters.platform) ? (
              <option value={filters.platform}>{filters.platform}</option>
            ) : null}
          </NativeSelect>
        </FilterField>
        <FilterField id="conversations-deployment" label="Deployment">
          <NativeSelect
            id="conversations-deployment"
            value={filters.deployment_id ?? ''}
            onChange={select('deployment_id')}
          >
            <option value="">Every deployment</option>
            {shownDeployments.map((deployment) => (
              <option key={deployment.id} value={deployment.id}>
                {deploymentLabel(deployment)}
              </option>
            ))}
            {filters.deployment_id &&
            deployments.data &&
            !shownDeployments.some((deployment) => deployment.id === filters.deployment_id) ? (
              <option value={filters.deployment_id}>{chosenDeploymentLabel}</option>
            ) : null}
          </NativeSelect>
        </FilterField>
        <FilterField id="conversations-status" label="Status">
          <NativeSelect id="conversations-status" value={filters.status ?? ''} onChange={select('status')}>
            <option value="">Open and ended</option>
            <option value="open">Open</option>
            <option value="ended">Ended</option>
            {filters.status && filters.status !== 'open' && filters.status !== 'ended' ? (
              <option value={filters.status}>{filters.status}</option>
            ) : null}
          </NativeSelect>
        </FilterField>
        <FilterField id="conversations-resolved" label="Resolution">
          <NativeSelect
            id="conversations-resolved"
            value={filters.resolved ?? ''}
            onChange={select('resolved')}
          >
            <option value="">Resolved or not</option>
            <option value="true">Resolved</option>
            <option value="false">Not resolved</option>
            {filters.resolved && filters.resolved !== 'true' && filters.resolved !== 'false' ? (
              <option value={filters.resolved}>{filters.resolved}</option>
            ) : null}
          </NativeSelect>
        </FilterField>
        <TimeRangeFields
          idPrefix="conversations"
          fromLabel="Active from"
          toLabel="Active until"
          from={filters.from}
          to={filters.to}
          onChange={onChange}
        />
        <ClearFiltersButton
          shown={hasFilters(filters)}
          onClear={onClear}
          className="sm:col-span-2 lg:col-span-1"
        />
      </form>
    </Card>
  );
}
