// The end of a paged list: "Load more" while the server has more, else "That is everything."
import { Loader2 } from 'lucide-react';
import { Button } from '@/components/ui/button';

interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

export function LoadMore({ query }: { query: PagedQuery }) {
  if (!query.hasNextPage) return <span>That is everything.</span>;
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={query.isFetchingNextPage}
      onClick={() => query.fetchNextPage()}
    >
      {query.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
      Load more
    </Button>
  );
}
