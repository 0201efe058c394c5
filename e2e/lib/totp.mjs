// RFC 6238 codes as an authenticator app computes them (HMAC-SHA1, 30-second steps, 6 digits), for
// journeys that sign in with two-factor. The server takes each step's code once, so freshCode waits
// for a step after the one last used.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';

export const STEP_MS = 30_000;

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    assert.notEqual(index, -1, `not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const number = (hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / STEP_MS);

/** A code for the current step, waiting for a step after `usedStep`: the server takes each step once. */
export async function freshCode(secret, usedStep = -1) {
  while (currentStep() <= usedStep) {
    await new Promise((resolve) => setTimeout(resolve, (currentStep() + 1) * STEP_MS - Date.now() + 200));
  }
  // Not in the last second of a step, so the code is still current when it arrives.
  if (STEP_MS - (Date.now() % STEP_MS) < 1500) await new Promise((resolve) => setTimeout(resolve, 1600));
  const step = currentStep();
  return { code: totp(secret, step), step };
}

/** Six digits that are not the code of any step near now (for "a wrong code is refused"). */
export function wrongCode(secret) {
  const now = currentStep();
  const valid = new Set([-1, 0, 1, 2].map((d) => totp(secret, now + d)));
  return ['000000', '111111', '222222'].find((c) => !valid.has(c));
}
