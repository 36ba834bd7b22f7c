-- 017_clock.sql - sg_now(): the moment the mail paths (intake, agents' replies) record.
-- It is the transaction's start, now(), unless the transaction set supportgate.now: only a build configured with
-- --enable-test-clock does that (db.c, from SUPPORTGATE_TEST_CLOCK), so that the e2e suite can record a
-- customer's mail on a Friday night and an agent's answer on the Saturday.  A release never sets it; the cost is
-- one setting read, and the planner inlines the function, so an index on a time column still serves.
CREATE FUNCTION sg_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('supportgate.now', true), '')::timestamptz, now()) $$;

-- The columns the mail paths fill by default.
ALTER TABLE tickets ALTER COLUMN created_at SET DEFAULT sg_now(), ALTER COLUMN updated_at SET DEFAULT sg_now();
ALTER TABLE messages ALTER COLUMN at SET DEFAULT sg_now();
ALTER TABLE events ALTER COLUMN at SET DEFAULT sg_now();
ALTER TABLE outbox ALTER COLUMN created_at SET DEFAULT sg_now(), ALTER COLUMN next_attempt_at SET DEFAULT sg_now();
ALTER TABLE ticket_links ALTER COLUMN at SET DEFAULT sg_now();
