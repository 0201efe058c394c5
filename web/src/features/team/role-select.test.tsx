import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RoleSelect } from '@/features/team/role-select';
import type { Member, Role } from '@/lib/api';

const member = (role: Role): Member => ({
  user_id: 'usr_2',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  role,
  joined_at: '2026-11-25T19:40:00Z',
});

function optionsOf(select: HTMLElement) {
  return within(select)
    .getAllByRole('option')
    .map((option) => option.textContent);
}

describe('RoleSelect', () => {
  it('offers an owner every role', () => {
    render(
      <RoleSelect member={member('member')} actorRole="owner" isSelf={false} allowed onChange={() => {}} />,
    );
    expect(optionsOf(screen.getByRole('combobox', { name: 'Role of Grace Hopper' }))).toEqual([
      'Owner',
      'Admin',
      'Member',
      'Viewer',
    ]);
  });

  it('offers an admin no role above admin', () => {
    render(
      <RoleSelect member={member('viewer')} actorRole="admin" isSelf={false} allowed onChange={() => {}} />,
    );
    expect(optionsOf(screen.getByRole('combobox'))).toEqual(['Admin', 'Member', 'Viewer']);
  });

  it('shows a plain badge where the caller may not change the role', () => {
    const { rerender } = render(
      <RoleSelect member={member('owner')} actorRole="admin" isSelf={false} allowed onChange={() => {}} />,
    );
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.getByText('Owner')).toBeInTheDocument();

    rerender(<RoleSelect member={member('owner')} actorRole="owner" isSelf allowed onChange={() => {}} />);
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();

    rerender(
      <RoleSelect
        member={member('viewer')}
        actorRole="member"
        isSelf={false}
        allowed={false}
        onChange={() => {}}
      />,
    );
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.getByText('Viewer')).toBeInTheDocument();
  });

  it('reports the chosen role and keeps showing the current one until the change is confirmed', async () => {
    const onChange = vi.fn();
    render(
      <RoleSelect member={member('member')} actorRole="owner" isSelf={false} allowed onChange={onChange} />,
    );
    const select = screen.getByRole('combobox');

    await userEvent.selectOptions(select, 'admin');

    expect(onChange).toHaveBeenCalledWith('admin');
    expect(select).toHaveValue('member');
  });
});
