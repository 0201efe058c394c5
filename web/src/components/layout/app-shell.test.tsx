import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { navigation, SkipLink } from '@/components/layout/app-shell';
import { session } from '@/test/utils';

function Frame() {
  return (
    <>
      <SkipLink />
      <nav aria-label="Main">
        <a href="/bots">Bots</a>
      </nav>
      <main id="main" tabIndex={-1}>
        <h1>Bots</h1>
      </main>
    </>
  );
}

describe('SkipLink', () => {
  it('is the first stop of the keyboard and moves the focus to the page, past the navigation', async () => {
    const user = userEvent.setup();
    render(<Frame />);
    await user.tab();
    const link = screen.getByRole('link', { name: 'Skip to content' });
    expect(link).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('main')).toHaveFocus();
    expect(window.location.hash).toBe('');
  });
});

describe('navigation: Billing', () => {
  const links = (allowed: string[]) =>
    navigation(session, (action) => allowed.includes(action)).flatMap((section) =>
      section.items.map((item) => item.to),
    );

  it('is listed for whoever may read billing (owners and admins), and for nobody else', () => {
    expect(links(['billing.read'])).toContain('/billing');
    expect(links(['bots.read'])).not.toContain('/billing');
  });
});

describe('navigation: Analytics', () => {
  const links = (allowed: string[]) =>
    navigation(session, (action) => allowed.includes(action)).flatMap((section) =>
      section.items.map((item) => item.to),
    );

  it('is listed for whoever may read analytics, before Operations', () => {
    expect(links(['analytics.read'])).toContain('/analytics');
    expect(links(['analytics.read'])).not.toContain('/operations');
    const both = links(['analytics.read', 'jobs.read']);
    expect(both.indexOf('/analytics')).toBe(both.indexOf('/operations') - 1);
    expect(links(['jobs.read'])).not.toContain('/analytics');
  });
});
