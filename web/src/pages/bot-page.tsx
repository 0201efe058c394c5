// /bots/:id: one bot — customise it with a live preview, try it in the test console, deploy it.
import { ArrowLeft, Bot as BotIcon } from 'lucide-react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { AiStatusBanner } from '@/features/bots/ai-status-banner';
import { BotAvatar } from '@/features/bots/bot-avatar';
import { BotSettingsForm } from '@/features/bots/bot-settings-form';
import { ConversationsPanel } from '@/features/bots/conversations-panel';
import { DeploymentsPanel } from '@/features/bots/deployments-panel';
import { useBot } from '@/features/bots/queries';
import { TestConsole } from '@/features/bots/test-console';
import { Action, usePermissions } from '@/features/permissions/queries';
import { useTemplates } from '@/features/templates/queries';
import { isApiError } from '@/lib/api';

const TABS = ['customise', 'test', 'deployments', 'conversations'] as const;
type Tab = (typeof TABS)[number];

export function BotPage() {
  const { id = '' } = useParams();
  const bot = useBot(id);
  const templates = useTemplates();
  const { can } = usePermissions();
  const canManage = can(Action.botsManage);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'customise';
  useDocumentTitle(bot.data?.name ?? 'Bot');

  const back = (
    <Link
      to="/bots"
      className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ArrowLeft className="size-4" /> Bots
    </Link>
  );

  if (bot.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading bot" className="space-y-4">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-96 w-full" />
      </div>
    );
  }
  if (bot.isError) {
    return (
      <>
        {back}
        {isApiError(bot.error, 404) ? (
          <Card>
            <EmptyState
              icon={BotIcon}
              title="This bot does not exist"
              description="It may have been deleted, or it belongs to another organization."
            >
              <Button asChild variant="outline" size="sm">
                <Link to="/bots">All bots</Link>
              </Button>
            </EmptyState>
          </Card>
        ) : (
          <ErrorState title="Could not load the bot" error={bot.error} onRetry={() => bot.refetch()} />
        )}
      </>
    );
  }

  const data = bot.data;
  return (
    <>
      {back}
      <div className="flex items-center gap-3">
        <BotAvatar name={data.name} color={data.avatar_color} className="mb-6 size-10 text-sm" />
        <div className="min-w-0 flex-1">
          <PageHeader
            title={data.name}
            description={
              <span className="flex flex-wrap items-center gap-2">
                {data.status === 'archived' ? <Badge>Archived</Badge> : <Badge variant="green">Active</Badge>}
                <span>
                  Version {data.version} · <code className="font-mono text-xs">{data.model}</code>
                </span>
              </span>
            }
          />
        </div>
      </div>
      <AiStatusBanner className="mb-4" />
      <Tabs
        value={tab}
        onValueChange={(next) => {
          const search = new URLSearchParams(params);
          if (next === 'customise') search.delete('tab');
          else search.set('tab', next);
          setParams(search, { replace: true });
        }}
      >
        {/* Two rows of two on a phone, one row from 640 px. */}
        <TabsList className="grid w-full grid-cols-2 sm:inline-flex sm:w-auto">
          <TabsTrigger value="customise">Customise</TabsTrigger>
          <TabsTrigger value="test">Test console</TabsTrigger>
          <TabsTrigger value="deployments">Deployments</TabsTrigger>
          <TabsTrigger value="conversations">Conversations</TabsTrigger>
        </TabsList>
        <TabsContent value="customise" forceMount className="data-[state=inactive]:hidden">
          <BotSettingsForm key={data.id} bot={data} canManage={canManage} />
        </TabsContent>
        <TabsContent value="test" forceMount className="data-[state=inactive]:hidden">
          <TestConsole bot={data} templates={templates.data} canChat={canManage} />
        </TabsContent>
        <TabsContent value="deployments" forceMount className="data-[state=inactive]:hidden">
          <DeploymentsPanel
            bot={data}
            canManage={canManage}
            canManageIdentity={can(Action.integrationsManage)}
          />
        </TabsContent>
        <TabsContent value="conversations">
          <ConversationsPanel botId={data.id} canResolve={canManage} />
        </TabsContent>
      </Tabs>
    </>
  );
}
