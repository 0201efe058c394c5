-- Why a dead reply job stopped, in a word people and filters can use (issue 19): recipient (the
-- platform will not deliver to this person or chat; the account is fine), credentials, request,
-- unavailable (attempts ran out) or setup. Jobs that stopped before this migration have none.
ALTER TABLE message_jobs ADD COLUMN reason_kind TEXT;
