import { describe, expect, it } from 'vitest';
import {
  appCodeSchema,
  groupSecret,
  normalizeRecoveryCode,
  recoveryCodeSchema,
  recoveryCodesText,
} from '@/features/two-factor/format';
import { qrPath } from '@/features/two-factor/qr-code';

describe('two-factor helpers', () => {
  it('shows the secret in groups of four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });

  it('reads app codes with spaces and refuses anything but 6 digits', () => {
    expect(appCodeSchema.parse({ code: ' 123 456 ' })).toEqual({ code: '123456' });
    expect(appCodeSchema.safeParse({ code: '12345' }).success).toBe(false);
    expect(appCodeSchema.safeParse({ code: '12345a' }).success).toBe(false);
  });

  it('reads recovery codes in any case, with spaces or without the dash', () => {
    expect(normalizeRecoveryCode('ABCDE 12345')).toBe('abcde-12345');
    expect(normalizeRecoveryCode('abcde12345')).toBe('abcde-12345');
    expect(recoveryCodeSchema.parse({ code: ' AbCdE-12345 ' })).toEqual({ code: 'abcde-12345' });
    expect(recoveryCodeSchema.safeParse({ code: 'abcd-1234' }).success).toBe(false);
  });

  it('writes the codes one a line under what they are for', () => {
    const text = recoveryCodesText(
      ['aaaaa-11111', 'bbbbb-22222'],
      'ada@example.com',
      new Date('2026-12-04T00:00:00Z'),
    );
    expect(text).toContain('Account: ada@example.com');
    expect(text).toContain('Created: 2026-12-04');
    expect(text.split('\n')).toEqual(expect.arrayContaining(['aaaaa-11111', 'bbbbb-22222']));
  });

  it('draws a QR code with a quiet zone around it', () => {
    const { path, size } = qrPath('otpauth://totp/Switchboard:ada%40example.com?secret=JBSWY3DPEHPK3PXP');
    expect(size).toBeGreaterThanOrEqual(21 + 8);
    expect(path).toMatch(/^M4 4h1v1h-1z/); // the finder pattern's corner
  });
});
