-- The first-response histogram as one row per hour (ADR 0037, part H): all of an hour's bucket
-- counts in one text value, "bucket:count" pairs of the non-empty buckets in ascending bucket order
-- joined by commas (e.g. "3:2,17:1"), which the store merges by adding. One row per bucket per hour
-- made the histogram the largest rollup table by far (177,748 rows for 30 days at 1 M
-- conversations) and the slowest part of the overview and series.
CREATE TABLE analytics_first_response_hourly_new (
  org_id        TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  hour          INTEGER NOT NULL,
  bot_id        TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  deployment_id TEXT    NOT NULL,
  buckets       TEXT    NOT NULL,
  PRIMARY KEY (org_id, hour, bot_id, platform, deployment_id)
) STRICT, WITHOUT ROWID;

-- Existing rows, converted (ordered by bucket in the inner query: SQLite concatenates in input order).
INSERT INTO analytics_first_response_hourly_new (org_id, hour, bot_id, platform, deployment_id, buckets)
SELECT org_id, hour, bot_id, platform, deployment_id, group_concat(bucket || ':' || n, ',')
FROM (SELECT org_id, hour, bot_id, platform, deployment_id, bucket, n FROM analytics_first_response_hourly
      WHERE n <> 0 ORDER BY org_id, hour, bot_id, platform, deployment_id, bucket)
GROUP BY org_id, hour, bot_id, platform, deployment_id;

DROP TABLE analytics_first_response_hourly;
ALTER TABLE analytics_first_response_hourly_new RENAME TO analytics_first_response_hourly;
