import { describe, expect, it } from 'vitest';
import {
  maskedHint,
  serverErrors,
  typedCredentials,
  validateCredentials,
} from '@/features/integrations/credentials-form';
import { platforms } from '@/features/integrations/fixtures';
import { summarizeStatuses } from '@/features/integrations/status';
import { ApiError } from '@/lib/api';

const whatsapp = platforms[1].fields;

describe('credentials form', () => {
  it('asks for every required field when connecting, and only unset ones when editing', () => {
    expect(validateCredentials(whatsapp, ' ', { access_token: 'EAAG' })).toEqual({
      name: 'Enter a name, e.g. the account it is.',
      'credentials.phone_number_id': 'Enter the phone number ID.',
      'credentials.app_secret': 'Enter the app secret.',
      'credentials.verify_token': 'Enter the verify token.',
    });
    const stored = {
      access_token: { set: true, hint: '…abcd' },
      phone_number_id: { set: true, hint: null },
      app_secret: { set: true, hint: null },
      verify_token: { set: false, hint: null },
    };
    expect(validateCredentials(whatsapp, 'Shop', {}, stored)).toEqual({
      'credentials.verify_token': 'Enter the verify token.',
    });
  });

  it('sends only what was typed, trimmed, so blank fields keep their stored values', () => {
    expect(
      typedCredentials(whatsapp, { access_token: ' EAAG \n', app_secret: '', verify_token: '  ' }),
    ).toEqual({
      access_token: 'EAAG',
    });
  });

  it('shows a stored value as four bullets and its last four characters', () => {
    expect(maskedHint({ set: true, hint: '…abcd' })).toBe('•••• abcd');
    expect(maskedHint({ set: true, hint: 'abcd' })).toBe('•••• abcd');
    expect(maskedHint({ set: true, hint: '****abcd' })).toBe('•••• abcd');
    expect(maskedHint({ set: true, hint: null })).toBe('••••');
    expect(maskedHint({ set: false, hint: null })).toBeNull();
    expect(maskedHint(undefined)).toBeNull();
  });

  it('puts 422 messages under known fields, a 409 under the name, and the rest aside', () => {
    const invalid = new ApiError(422, 'validation_failed', 'Some fields are invalid.', {
      'credentials.access_token': 'Too short.',
      name: 'Too long.',
      platform: 'Unknown platform.',
    });
    expect(serverErrors(invalid, whatsapp)).toEqual({
      fieldErrors: { 'credentials.access_token': 'Too short.', name: 'Too long.' },
      rest: ['Unknown platform.'],
    });
    expect(serverErrors(new ApiError(409, 'conflict', 'Name taken.'), whatsapp)).toEqual({
      fieldErrors: { name: 'Name taken.' },
      rest: [],
    });
    expect(serverErrors(new ApiError(500, 'internal', 'Oops.'), whatsapp)).toEqual({
      fieldErrors: {},
      rest: [],
    });
  });
});

describe('summarizeStatuses', () => {
  it('counts accounts per status, the healthy ones first', () => {
    expect(summarizeStatuses([])).toBe('Not connected');
    expect(summarizeStatuses([{ status: 'connected' }, { status: 'connected' }])).toBe('2 connected');
    expect(
      summarizeStatuses([
        { status: 'unverified' },
        { status: 'needs_attention' },
        { status: 'invalid' },
        { status: 'connected' },
        { status: 'needs_attention' },
      ]),
    ).toBe('1 connected · 2 need attention · 1 invalid · 1 unverified');
  });
});
