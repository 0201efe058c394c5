// Journey: an owner signs up and invites a colleague; the colleague joins through the link from the
// outbox, sees the shared organisation and is refused the admin-only pages; the owner makes them an
// admin and their interface follows. Along the way the owner visits every team and settings page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OWNER = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const MEMBER = {
  name: 'Grace Hopper',
  email: 'grace@example.com',
  password: 'compilers are fun',
};
const ORG_NAME = "Ada Lovelace's organization";
const RENAMED = 'Analytical Engines';

describe('team journey', () => {
  let server;
  let owner; // the owner's browser
  let member; // the invited member's browser, a separate profile
  let screenshot;
  const ids = {}; // org and user ids, learnt from the API as the journey goes

  before(async () => {
    screenshot = await screenshotsFor('team-journey');
  });

  after(async () => {
    await member?.close();
    await owner?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ owner, member }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });
  const nav = (page) => page.getByRole('navigation', { name: 'Main' });
  const dialog = (page) => page.getByRole('dialog');
  const sessionOf = (page) => page.evaluate(() => fetch('/api/auth/session').then((r) => r.json()));

  step('the server starts and the owner opens a browser', {}, async () => {
    server = await startServer();
    owner = await launchBrowser();
    owner.page.setDefaultTimeout(10_000);
  });

  step(
    'the owner signs up and lands in their own organization',
    { owner: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = owner;
      await page.goto(url('/auth?tab=signup'));
      await page.getByLabel('Name').fill(OWNER.name);
      await page.getByLabel('Work email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(url('/'));
      await page.getByRole('heading', { name: /^Good \w+, Ada$/ }).waitFor();
      const session = await sessionOf(page);
      ids.org = session.organization.id;
      ids.owner = session.user.id;
      assert.equal(session.organization.name, ORG_NAME);
      await page
        .getByRole('button', {
          name: `Organization: ${ORG_NAME}. Switch organization`,
        })
        .waitFor();
      for (const link of ['Team', 'Organization', 'API keys', 'Audit log', 'Admin', 'Mailbox']) {
        await nav(page).getByRole('link', { name: link, exact: true }).waitFor();
      }
      await screenshot(page, '01-owner-dashboard');
    },
  );

  step('the team page lists the owner, with no pending invitations', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(url('/team'));
    const row = page.getByRole('row', { name: new RegExp(OWNER.email) });
    await row.getByText('Owner', { exact: true }).waitFor();
    await row.getByText('(you)').waitFor();
    await page.getByText('No pending invitations').waitFor();
    await screenshot(page, '02-owner-team');
  });

  step('the owner invites a colleague as member and gets the link to share', {}, async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Invite member' }).first().click();
    await dialog(page).getByRole('heading', { name: 'Invite a member' }).waitFor();
    await dialog(page).getByRole('button', { name: 'Send invitation' }).click();
    await dialog(page).getByText('Enter an email address.').waitFor();
    await dialog(page).getByLabel('Email address').fill(MEMBER.email);
    assert.equal(await dialog(page).getByLabel('Role').inputValue(), 'member');
    await dialog(page).getByRole('button', { name: 'Send invitation' }).click();
    await dialog(page).getByRole('heading', { name: 'Invitation sent' }).waitFor();
    ids.link = await dialog(page).getByLabel('Invitation link').inputValue();
    assert.match(ids.link, new RegExp(`^${server.baseURL}/invite/[\\w-]+$`));
    await screenshot(page, '03-owner-invite-link');
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await dialog(page)
      .waitFor({ state: 'detached' })
      .catch(() => {});
    const row = page.getByRole('row', { name: new RegExp(MEMBER.email) });
    await row.getByText('Pending').waitFor();
    await row.getByRole('button', { name: /^Resend/ }).waitFor();
  });

  step(
    'inviting the same address again is refused with the reason',
    { owner: () => [`409 POST /api/orgs/${ids.org}/invites`] },
    async () => {
      const { page } = owner;
      await page.getByRole('button', { name: 'Invite member' }).first().click();
      await dialog(page).getByLabel('Email address').fill(MEMBER.email);
      await dialog(page).getByRole('button', { name: 'Send invitation' }).click();
      await dialog(page).locator('#invite-email-error').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    },
  );

  step(
    'the last owner cannot leave, and is told why',
    { owner: () => [`403 DELETE /api/orgs/${ids.org}/members/${ids.owner}`] },
    async () => {
      const { page } = owner;
      await page.getByRole('button', { name: 'Leave organization' }).click();
      await dialog(page).getByRole('button', { name: 'Leave organization' }).click();
      await dialog(page)
        .getByText(/last owner/i)
        .waitFor();
      await screenshot(page, '04-owner-cannot-leave');
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    },
  );

  step('the invitation mail is in the outbox, with the same link', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Mailbox' }).click();
    await page.waitForURL(url('/debug/mailbox'));
    const mail = page.getByRole('listitem').filter({ hasText: MEMBER.email });
    await mail.getByRole('heading', { name: /invited you to/ }).waitFor();
    const link = mail.getByRole('link', { name: /\/invite\// });
    assert.equal(await link.getAttribute('href'), ids.link);
    await screenshot(page, '05-owner-mailbox');
  });

  step(
    'the colleague opens the link in their own browser and sees the invitation',
    { member: ['401 GET /api/auth/session'] },
    async () => {
      member = await launchBrowser();
      member.page.setDefaultTimeout(10_000);
      const { page } = member;
      await page.goto(ids.link);
      await page.getByRole('heading', { name: `Join ${ORG_NAME}` }).waitFor();
      await page.getByText(MEMBER.email).first().waitFor();
      await page.getByText('Member', { exact: true }).waitFor();
      await page.getByRole('tab', { name: 'Sign up to join' }).waitFor();
      await page.getByRole('tab', { name: 'I already have an account' }).waitFor();
      assert.equal(await page.getByLabel('Work email').inputValue(), MEMBER.email);
      await screenshot(page, '06-member-invitation');
    },
  );

  step('signing up through the link joins the shared organization', {}, async () => {
    const { page } = member;
    await page.getByLabel('Name').fill(MEMBER.name);
    await page.getByLabel('Password').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.waitForURL(url('/'));
    await toast(page, `Welcome to ${ORG_NAME}`).waitFor();
    await page.getByText(`You are signed in to ${ORG_NAME} as member.`).waitFor();
    const session = await sessionOf(page);
    ids.member = session.user.id;
    assert.equal(session.organization.id, ids.org);
    assert.equal(session.user.is_platform_admin, false);
    // Signing up through the invitation proves the address: no verification banner.
    assert.equal(session.user.email_verified, true);
    assert.equal(await page.getByRole('region', { name: 'Email address not verified' }).count(), 0);
    await screenshot(page, '07-member-dashboard');
  });

  step('the colleague belongs to the shared organization only', {}, async () => {
    const { page } = member;
    await page
      .getByRole('button', {
        name: `Organization: ${ORG_NAME}. Switch organization`,
      })
      .click();
    await page
      .getByRole('menuitem', { name: new RegExp(ORG_NAME) })
      .getByText('Member · 2 members')
      .waitFor();
    // Signing up through an invitation makes no organization of the invitee's own.
    assert.equal(await page.getByRole('menuitem', { name: /Grace Hopper's organization/ }).count(), 0);
    await screenshot(page, '08-member-org-switcher');
    await page.keyboard.press('Escape');
  });

  step('the colleague sees the shared team but cannot manage it', {}, async () => {
    const { page } = member;
    await nav(page).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(url('/team'));
    const ownerRow = page.getByRole('row', { name: new RegExp(OWNER.email) });
    await ownerRow.getByText('Owner', { exact: true }).waitFor();
    await page
      .getByRole('row', { name: new RegExp(MEMBER.email) })
      .getByText('(you)')
      .waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Invite member' }).count(),
      0,
      'no Invite for a member',
    );
    assert.equal(await page.getByRole('combobox', { name: /^Role of/ }).count(), 0, 'no role selects');
    assert.equal(await page.getByRole('button', { name: /^Remove / }).count(), 0, 'no Remove buttons');
    assert.equal(await page.getByText('Invitations').count(), 0, 'no invitations list');
    for (const link of ['API keys', 'Audit log', 'Admin', 'Mailbox', 'Debug']) {
      assert.equal(
        await nav(page).getByRole('link', { name: link, exact: true }).count(),
        0,
        `no ${link} link`,
      );
    }
    await screenshot(page, '09-member-team');
  });

  step(
    'the colleague is refused API keys and the admin pages, plainly',
    {
      member: () => [
        `403 GET /api/orgs/${ids.org}/api-keys`,
        '403 GET /api/admin/organizations',
        '403 GET /api/admin/users',
      ],
    },
    async () => {
      const { page } = member;
      await page.goto(url('/settings/api-keys'));
      await page.getByText('Your role cannot manage API keys').waitFor();
      await screenshot(page, '10-member-api-keys-refused');
      await page.goto(url('/admin'));
      await page.getByText('You need to be a platform admin to see this page').waitFor();
      await screenshot(page, '11-member-admin-refused');
    },
  );

  step('the owner makes the colleague an admin, after confirming', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(url('/team'));
    const select = page.getByRole('combobox', {
      name: `Role of ${MEMBER.name}`,
    });
    assert.equal(await select.inputValue(), 'member');
    // The invitations load on their own: wait for them rather than count what is there yet.
    await page.getByText('No pending invitations').waitFor();
    assert.equal(
      await page.getByText('No pending invitations').count(),
      1,
      'the accepted invitation is gone',
    );
    await select.selectOption('admin');
    await dialog(page).getByRole('heading', { name: 'Change role?' }).waitFor();
    await screenshot(page, '12-owner-confirm-role-change');
    await dialog(page).getByRole('button', { name: 'Make admin' }).click();
    await toast(page, `${MEMBER.name} is now an admin`).waitFor();
    assert.equal(await select.inputValue(), 'admin');
    await screenshot(page, '13-owner-team-after-role-change');
  });

  step('after a reload the colleague has the admin navigation and pages', {}, async () => {
    const { page } = member;
    await page.goto(url('/team'));
    await page.getByRole('button', { name: 'Invite member' }).first().waitFor();
    await nav(page).getByRole('link', { name: 'API keys' }).waitFor();
    await nav(page).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(url('/settings/audit'));
    await page.getByRole('row', { name: /member\.role_changed/ }).waitFor();
    await page.getByRole('row', { name: /invite\.created/ }).waitFor();
    // An admin cannot touch the owner: the owner's role is a badge, not a select.
    await page.goto(url('/team'));
    const ownerRow = page.getByRole('row', { name: new RegExp(OWNER.email) });
    await ownerRow.getByText('Owner', { exact: true }).waitFor();
    assert.equal(await ownerRow.getByRole('combobox').count(), 0);
    await screenshot(page, '14-member-as-admin-team');
  });

  step('the owner creates an API key and sees its secret once', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(url('/settings/api-keys'));
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    await dialog(page)
      .getByText('This key acts with at most your own role, and stops working if you leave the organization.')
      .waitFor();
    await dialog(page).getByLabel('Name').fill('CI deploys');
    await dialog(page).getByLabel('Role').selectOption('member');
    await dialog(page).getByRole('button', { name: 'Create key' }).click();
    await dialog(page).getByText('You won’t see it again.').waitFor();
    const secret = await dialog(page).getByLabel('Secret API key').inputValue();
    assert.match(secret, /^sbk_/);
    await screenshot(page, '15-owner-api-key-secret');
    await dialog(page).getByRole('button', { name: 'I have copied it' }).click();
    const row = page.getByRole('row', { name: /CI deploys/ });
    await row.getByText('Never').first().waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not listed');

    // The key works against the API, with its own role.
    const me = await fetch(url('/api/permissions'), {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).role, 'member');
    await page.reload();
    await row.getByText(/ago|now/).waitFor();
    await screenshot(page, '16-owner-api-keys');
  });

  step('the owner revokes the key after confirming', {}, async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Revoke CI deploys' }).click();
    await dialog(page).getByRole('button', { name: 'Revoke key' }).click();
    await toast(page, '“CI deploys” revoked').waitFor();
    await page
      .getByRole('row', { name: /CI deploys/ })
      .getByText('Revoked')
      .waitFor();
  });

  step('the audit log shows who did what, with filters and details', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(url('/settings/audit'));
    const roleChange = page.getByRole('row', {
      name: /member\.role_changed/,
    });
    await roleChange.waitFor();
    await roleChange.getByRole('button', { name: 'Show details' }).click();
    await page.getByText('"role": "admin"').waitFor();
    await screenshot(page, '17-owner-audit');
    await page.getByLabel('Action').fill('api_key.created');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('row', { name: /member\.role_changed/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /api_key\.created/ }).waitFor();
    assert.equal(await page.getByRole('row', { name: /api_key\.revoked/ }).count(), 0);
    await page.getByRole('button', { name: 'Clear' }).click();
    await roleChange.waitFor();
  });

  step('the owner renames the organization, and everyone sees the new name', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Organization' }).click();
    await page.waitForURL(url('/settings/organization'));
    await page
      .getByText(ids.org)
      .or(page.locator(`input[value="${ids.org}"]`))
      .first()
      .waitFor();
    await page.getByLabel('Name').fill(RENAMED);
    await page.getByRole('button', { name: 'Save name' }).click();
    await toast(page, 'Organization renamed').waitFor();
    await page
      .getByRole('button', {
        name: `Organization: ${RENAMED}. Switch organization`,
      })
      .waitFor();
    await screenshot(page, '18-owner-organization-settings');

    await member.page.reload();
    await member.page
      .getByRole('button', {
        name: `Organization: ${RENAMED}. Switch organization`,
      })
      .waitFor();
  });

  step('the platform admin sees every organization and user', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(url('/admin'));
    await page
      .getByRole('row', { name: new RegExp(RENAMED) })
      .getByText(OWNER.email)
      .waitFor();
    await page.getByRole('row', { name: new RegExp(`^${MEMBER.name} ${MEMBER.email}`) }).waitFor();
    await screenshot(page, '19-owner-admin');
  });

  step(
    'an invitation link that was used no longer works',
    { owner: ['404 GET /api/invites/preview'] },
    async () => {
      const { page } = owner;
      await page.goto(ids.link);
      await page.getByRole('heading', { name: 'This invitation link no longer works' }).waitFor();
      await screenshot(page, '20-invitation-used');
    },
  );

  step('the owner resends an invitation (new link) and revokes it', {}, async () => {
    const { page } = owner;
    await page.goto(url('/team'));
    await page.getByRole('button', { name: 'Invite member' }).first().click();
    await dialog(page).getByLabel('Email address').fill('lin@example.com');
    await dialog(page).getByLabel('Role').selectOption('viewer');
    await dialog(page).getByRole('button', { name: 'Send invitation' }).click();
    const first = await dialog(page).getByLabel('Invitation link').inputValue();
    await dialog(page).getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /lin@example\.com/ });
    await row.getByText('Viewer').waitFor();
    await row.getByRole('button', { name: /^Resend/ }).click();
    await dialog(page).getByRole('heading', { name: 'Invitation sent again' }).waitFor();
    const second = await dialog(page).getByLabel('Invitation link').inputValue();
    assert.notEqual(second, first, 'a resend makes a new link');
    await screenshot(page, '21-owner-invite-resent');
    await dialog(page).getByRole('button', { name: 'Done' }).click();

    await row.getByRole('button', { name: /^Revoke/ }).click();
    await dialog(page).getByRole('button', { name: 'Revoke invitation' }).click();
    await toast(page, 'Invitation for lin@example.com revoked').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByText('No pending invitations').waitFor();
  });

  step('the owner creates a second organization, then deletes it by typing its name', {}, async () => {
    const { page } = owner;
    await page.getByRole('button', { name: /Switch organization$/ }).click();
    await page.getByRole('menuitem', { name: 'Create organization' }).click();
    await dialog(page).getByLabel('Organization name').fill('Scratchpad');
    await dialog(page).getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(url('/'));
    await page.getByText('You are signed in to Scratchpad as owner.').waitFor();

    await nav(page).getByRole('link', { name: 'Organization' }).click();
    await page.getByRole('button', { name: 'Delete organization' }).click();
    const confirm = dialog(page).getByRole('button', { name: 'Delete organization' });
    assert.equal(await confirm.isDisabled(), true, 'disabled until the name is typed');
    await dialog(page).getByLabel('Type Scratchpad to confirm').fill('Scratchpad');
    await screenshot(page, '22-owner-delete-organization');
    await confirm.click();
    await toast(page, 'Scratchpad was deleted').waitFor();
    await page.waitForURL(url('/'));
    await page.getByText(`You are signed in to ${RENAMED} as owner.`).waitFor();
  });

  step('the owner hands ownership to the colleague and becomes an admin', {}, async () => {
    const { page } = owner;
    await nav(page).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL(url('/team'));
    await page.getByRole('button', { name: 'Transfer ownership' }).click();
    await dialog(page)
      .getByLabel('New owner')
      .selectOption({ label: `${MEMBER.name} (${MEMBER.email})` });
    await screenshot(page, '23-owner-transfer-ownership');
    await dialog(page).getByRole('button', { name: 'Transfer ownership' }).click();
    await toast(page, `${MEMBER.name} now owns ${RENAMED}`).waitFor();
    const graceRow = page.getByRole('row', { name: new RegExp(MEMBER.email) });
    await graceRow.getByText('Owner', { exact: true }).waitFor();
    assert.equal(await graceRow.getByRole('combobox').count(), 0, 'an admin cannot change an owner');
    await page
      .getByRole('button', { name: `Organization: ${RENAMED}. Switch organization` })
      .getByText('Admin')
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Transfer ownership' }).count(), 0);
    await screenshot(page, '24-former-owner-team');
  });

  step('the former owner leaves; with no organization left, they are offered to create one', {}, async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Leave organization' }).click();
    await dialog(page).getByRole('button', { name: 'Leave organization' }).click();
    await toast(page, `You left ${RENAMED}`).waitFor();
    await page.waitForURL(url('/'));
    await page.getByText('You are not in any organization').waitFor();
    for (const link of ['Team', 'Organization', 'API keys', 'Audit log']) {
      assert.equal(
        await nav(page).getByRole('link', { name: link, exact: true }).count(),
        0,
        `no ${link} link`,
      );
    }
    await nav(page).getByRole('link', { name: 'Admin' }).waitFor();
    await screenshot(page, '25-no-organization');

    await page.getByRole('button', { name: 'Create organization' }).click();
    await dialog(page).getByLabel('Organization name').fill('Lovelace Labs');
    await dialog(page).getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('You are signed in to Lovelace Labs as owner.').waitFor();
    await nav(page).getByRole('link', { name: 'Team' }).waitFor();
  });

  step('the new owner now runs the shared organization alone', {}, async () => {
    const { page } = member;
    await page.goto(url('/team'));
    await page
      .getByRole('row', { name: new RegExp(MEMBER.email) })
      .getByText('(you)')
      .waitFor();
    assert.equal(await page.getByRole('row', { name: new RegExp(OWNER.email) }).count(), 0);
    await page.getByRole('button', { name: 'Transfer ownership' }).waitFor();
    await screenshot(page, '26-new-owner-team');
  });
});
