-- Template names are unique in an organisation, as bot and integration names are (issue 19). Older
-- duplicates keep the first holder's name and become "Name (2)", "Name (3)"… in the order they
-- were made.
CREATE TABLE template_renames (
  id       TEXT NOT NULL PRIMARY KEY,
  new_name TEXT NOT NULL
) STRICT;
INSERT INTO template_renames (id, new_name)
  SELECT t.id, t.name || ' (' || ((SELECT COUNT(*) FROM templates e
                                    WHERE e.org_id = t.org_id AND e.name = t.name
                                      AND (e.created_at < t.created_at OR (e.created_at = t.created_at AND e.id < t.id))) + 1) || ')'
  FROM templates t
  WHERE EXISTS (SELECT 1 FROM templates e
                WHERE e.org_id = t.org_id AND e.name = t.name
                  AND (e.created_at < t.created_at OR (e.created_at = t.created_at AND e.id < t.id)));
UPDATE templates SET name = (SELECT r.new_name FROM template_renames r WHERE r.id = templates.id)
  WHERE id IN (SELECT id FROM template_renames);
DROP TABLE template_renames;
DROP INDEX templates_org_id_idx;
CREATE UNIQUE INDEX templates_org_name_idx ON templates (org_id, name);
