// /conversations: every conversation of the organisation, searchable and filtered through the URL;
// a row opens its transcript.
import * as React from 'react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { ForbiddenState } from '@/components/states';
import { ConversationDialog } from '@/features/bots/conversation-dialog';
import { ConversationFiltersBar } from '@/features/conversations/conversation-filters';
import { ConversationList } from '@/features/conversations/conversation-list';
import { hasFilters, useConversationFilters } from '@/features/conversations/filters';
import { useConversationList } from '@/features/conversations/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { isApiError, type Conversation } from '@/lib/api';

export function ConversationsPage() {
  useDocumentTitle('Conversations');
  const { filters, setFilters, clearFilters, openId, setOpenId } = useConversationFilters();
  const conversations = useConversationList(filters);
  const [opened, setOpened] = React.useState<Conversation | null>(null);
  const { can } = usePermissions();

  const header = (
    <PageHeader
      title="Conversations"
      description="Every conversation of your bots, on every platform: search what people wrote and read the whole exchange."
    />
  );
  if (isApiError(conversations.error, 403)) {
    return (
      <>
        {header}
        <ForbiddenState
          title="Your role cannot see conversations"
          description="Ask an owner or admin of this organization for access."
        />
      </>
    );
  }
  return (
    <>
      {header}
      <ConversationFiltersBar filters={filters} onChange={setFilters} onClear={clearFilters} />
      <ConversationList
        conversations={conversations}
        filtered={hasFilters(filters)}
        onClearFilters={clearFilters}
        onOpen={(conversation) => {
          setOpened(conversation);
          setOpenId(conversation.id);
        }}
      />
      <ConversationDialog
        conversationId={openId}
        conversation={opened}
        highlight={filters.q}
        canResolve={can(Action.botsManage)}
        onOpenChange={(open) => !open && setOpenId(null)}
      />
    </>
  );
}
