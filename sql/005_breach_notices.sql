-- 005_breach_notices.sql - which breaches the team lead and managers have been told about.
ALTER TABLE breaches ADD COLUMN notified_at timestamptz;
-- Breaches from before this version are history, not news: do not mail them now.
UPDATE breaches SET notified_at = at;
CREATE INDEX breaches_unnotified ON breaches (id) WHERE notified_at IS NULL;
GRANT UPDATE ON breaches TO supportgate_scheduler;
GRANT INSERT ON messages TO supportgate_scheduler;
GRANT INSERT ON outbox TO supportgate_scheduler;
GRANT USAGE ON SEQUENCE messages_id_seq, outbox_id_seq TO supportgate_scheduler;
