// Display helpers of the operations console: durations, per-minute rates, JSON payloads, short text.

/** 850 ms, 1.2 s, 2 min 5 s; an em dash when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A last-hour count as a rate: "2.5/min". */
export function perMinute(count: number): string {
  const rate = count / 60;
  if (rate > 0 && rate < 0.1) return '<0.1/min';
  return `${rate >= 10 || rate === 0 ? Math.round(rate) : rate.toFixed(1)}/min`;
}

const OUTCOMES: Record<string, string> = {
  claimed: 'Picked up by a worker',
  reply_generated: 'Reply written',
  sent: 'Sent',
  platform_error: 'The platform refused or failed',
  will_retry: 'Will try again',
  permanent_error: 'Stopped: retrying cannot fix this',
  recipient_unreachable: 'Stopped: the platform will not deliver to this person',
  attempts_exhausted: 'Stopped: no attempts left',
  throttled: 'Waiting for the sending limit',
  lease_expired: 'Worker stopped; queued again',
  recovered: 'Worker stopped after sending; recorded, not sent again',
  retried_by_operator: 'Retried by a person',
  cancelled_by_operator: 'Cancelled by a person',
  no_bot: 'No bot deployed',
  integration_unavailable: 'Account unavailable',
  over_quota_notice_sent: 'Over the monthly quota: the over-quota notice was sent',
  over_quota_notice_not_sent: 'Over the monthly quota: the over-quota notice could not be sent',
  in_doubt: 'Sent, no answer (platform timed out or worker stopped): delivery unknown',
  held_in_doubt: 'Held in doubt for a person to resend or discard',
  resent_in_doubt: 'Worker stopped while sending; sent again',
  resent_by_operator: 'Resent by a person',
  discarded_by_operator: 'Discarded by a person',
};

/** A log row's outcome in words; unknown codes are shown as they are. */
export function outcomeLabel(outcome: string): string {
  return OUTCOMES[outcome] ?? outcome;
}

/** "19:42" in the reader's time zone, for chart axes. */
export function formatMinute(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** A stored payload for reading: pretty-printed when it is JSON (or JSON text), as received otherwise. */
export function formatPayload(payload: unknown): { text: string; json: boolean } {
  if (typeof payload === 'string') {
    try {
      return { text: JSON.stringify(JSON.parse(payload), null, 2), json: true };
    } catch {
      return { text: payload, json: false };
    }
  }
  if (payload === undefined) return { text: '', json: false };
  return { text: JSON.stringify(payload, null, 2), json: true };
}

export function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}

/** A log row's time, to the second. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/**
 * Attempts are counted one way everywhere (docs/adr/0033): the send attempts already made, as the
 * server's `attempts` says, out of the most allowed — "3 of 6". A job waiting for its next try
 * has made 3; the one running now is not counted until it has an outcome.
 */
export function attemptsOf(job: { attempts: number; max_attempts: number }): string {
  return `${job.attempts} of ${job.max_attempts}`;
}
