// Route guard for pages about an organisation: a user who belongs to none (after leaving or
// deleting the last one) is offered to create one instead.
import * as React from 'react';
import { Building2, Plus } from 'lucide-react';
import { Outlet } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { hasOrganization, useSignedInSession } from '@/features/auth/session';
import { CreateOrganizationDialog } from '@/features/orgs/create-organization-dialog';

export function RequireOrganization() {
  const session = useSignedInSession();
  return hasOrganization(session) ? <Outlet /> : <NoOrganization />;
}

function NoOrganization() {
  useDocumentTitle('No organization');
  const [creating, setCreating] = React.useState(false);
  return (
    <>
      <PageHeader title="Welcome to Switchboard" />
      <Card>
        <EmptyState
          icon={Building2}
          title="You are not in any organization"
          description="Create one to start building bots, or ask a teammate to send you an invitation."
          className="py-16"
        >
          <Button onClick={() => setCreating(true)}>
            <Plus />
            Create organization
          </Button>
        </EmptyState>
      </Card>
      <CreateOrganizationDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
