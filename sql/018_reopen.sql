-- 018_reopen.sql - when a ticket was closed, so that a customer's reply within reopen_window reopens it.
-- closed_at: set by whatever closes the ticket (the quiet period, an agent's #status closed, a merge), cleared
--   when it opens again.  Tickets closed before this migration count from their last update.
ALTER TABLE tickets ADD COLUMN closed_at timestamptz;
UPDATE tickets SET closed_at = updated_at WHERE status = 'closed';
