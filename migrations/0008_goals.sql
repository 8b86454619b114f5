-- Issue 21 (goals and conversions). Page goals travel with the site record in the registry: the
-- hot worker holds the site cached for its host check, so matching a view's path against the
-- site's page goals costs no read. The goals' counting tables live in each site's object
-- (src/site_schema/0003_goals.sql).
ALTER TABLE sites ADD COLUMN goals TEXT NOT NULL DEFAULT '';
