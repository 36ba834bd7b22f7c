-- 010_pending_breach_team.sql - pending-on-customer stops the update and resolution clocks; each breach stays with the team that missed it.
-- pending_since: when the ticket went pending on the customer (NULL: not pending).
-- paused_seconds: working seconds the ticket spent pending since its owning team's resolution clock started;
--   the resolution deadline moves on by as much.  resumed_at: when it last left pending (the update clock restarts).
-- update_since: where the running update clock started (NULL: none running); update_longest: the longest wait
--   for news that has ended, and resolution_seconds: from the resolution clock's start to the resolution, both
--   in the owning team's working seconds without the time pending (what `supportgate sla report` shows).
ALTER TABLE tickets ADD COLUMN pending_since timestamptz,
                    ADD COLUMN paused_seconds bigint NOT NULL DEFAULT 0,
                    ADD COLUMN resumed_at timestamptz,
                    ADD COLUMN update_since timestamptz,
                    ADD COLUMN update_longest bigint,
                    ADD COLUMN resolution_seconds bigint;
-- Tickets pending now have been so at least since this version.
UPDATE tickets SET pending_since = now() WHERE status = 'pending';

-- team: the team that owned the ticket when the breach was recorded; it stays there after an escalation.
ALTER TABLE breaches ADD COLUMN team text;
UPDATE breaches b SET team = t.team FROM tickets t WHERE t.id = b.ticket_id;
ALTER TABLE breaches ALTER COLUMN team SET NOT NULL;

-- A breach recorded without its team gets the ticket's current one.
CREATE FUNCTION breaches_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.team IS NULL THEN
        SELECT team INTO NEW.team FROM tickets WHERE id = NEW.ticket_id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER breaches_team BEFORE INSERT ON breaches FOR EACH ROW EXECUTE FUNCTION breaches_team();
