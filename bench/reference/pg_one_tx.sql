-- pgbench script of bench/reference/pg_one_tx.sh: one webhook, one transaction. The event row and
-- its reply job go into Switchboard's own tables (made by `switchboard migrate`, so the columns,
-- constraints, foreign keys and indexes are ours), each with INSERT … ON CONFLICT DO NOTHING, as a
-- plain implementation without group commit would do it. Ids start with the transaction's start
-- time, so they grow like ours (time-ordered); the key is random per webhook.
\set k random(1, 999999999999999)
BEGIN;
INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, payload,
                            payload_hash, received_at)
VALUES ('evt_' || to_hex((extract(epoch FROM now()) * 1000000)::bigint) || to_hex((:k)::bigint), 'org_ref', 'int_ref',
        'telegram', (:k)::text, 'message', 'accepted',
        json_build_object('update_id', (:k)::bigint, 'message', json_build_object('message_id', (:k)::bigint,
          'from', json_build_object('id', (:k)::bigint, 'is_bot', false, 'first_name', 'Ada'),
          'chat', json_build_object('id', (:k)::bigint, 'type', 'private'), 'text', 'what are your opening hours?'))::text,
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', (extract(epoch FROM now()) * 1000)::bigint)
ON CONFLICT (integration_id, idempotency_key) DO NOTHING;
INSERT INTO message_jobs (id, org_id, integration_id, deployment_id, bot_id, event_id, platform, external_user_id,
                          display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts,
                          next_run_at, created_at, updated_at)
VALUES ('job_' || to_hex((extract(epoch FROM now()) * 1000000)::bigint) || to_hex((:k)::bigint), 'org_ref', 'int_ref',
        'dep_ref', 'bot_ref', 'evt_' || to_hex((extract(epoch FROM now()) * 1000000)::bigint) || to_hex((:k)::bigint),
        'telegram', (:k)::text, 'Ada', (:k)::text, (:k)::text, 'what are your opening hours?', 'queued', 0, 5,
        (extract(epoch FROM now()) * 1000)::bigint, (extract(epoch FROM now()) * 1000)::bigint,
        (extract(epoch FROM now()) * 1000)::bigint)
ON CONFLICT DO NOTHING;
COMMIT;
