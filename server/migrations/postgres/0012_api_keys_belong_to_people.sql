-- API keys act for the person who created them (ADR 0018). A key made by another key used to have
-- no creator; it now belongs to the person at the start of that chain, found through the audit
-- log's api_key.created entries. A key whose chain reaches no person (its creator's account is
-- gone) keeps created_by NULL, and the server refuses it.
WITH RECURSIVE chain (key_id, ancestor_id, creator, depth) AS (
  SELECT k.id, k.id, k.created_by, 0 FROM api_keys k WHERE k.created_by IS NULL
  UNION ALL
  SELECT c.key_id, p.id, p.created_by, c.depth + 1
  FROM chain c
  JOIN audit_events a ON a.action = 'api_key.created' AND a.target_type = 'api_key'
                     AND a.target_id = c.ancestor_id AND a.actor_type = 'api_key'
  JOIN api_keys p ON p.id = a.actor_id AND p.org_id = a.org_id
  WHERE c.creator IS NULL AND c.depth < 100
)
UPDATE api_keys
SET created_by = (SELECT c.creator FROM chain c WHERE c.key_id = api_keys.id AND c.creator IS NOT NULL
                  ORDER BY c.depth LIMIT 1)
WHERE created_by IS NULL;
