-- 009_next_check.sql - each ticket carries the time its SLA clocks next need a look, so a scheduler pass reads
-- only the tickets with something due: not every running clock, nor every clock already breached.
-- warn_first_response: when warn_at percent of the first-response span has passed (computed at intake);
--   tickets from before this version get theirs at 80 %.
-- checked_until: the scheduler has recorded every breach and warning due up to this time.
-- next_check: the earliest deadline or warning time still to come after checked_until (NULL: none);
--   kept by the trigger below, which forgets checked_until whenever a clock changes.
ALTER TABLE tickets ADD COLUMN warn_first_response timestamptz,
                    ADD COLUMN checked_until timestamptz,
                    ADD COLUMN next_check timestamptz;

CREATE FUNCTION tickets_next_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    after timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.status, NEW.acked_at, NEW.due_ack, NEW.first_response_at, NEW.due_first_response,
                             NEW.warn_first_response, NEW.due_update, NEW.warn_update, NEW.due_resolution,
                             NEW.warn_resolution)
        IS DISTINCT FROM (OLD.status, OLD.acked_at, OLD.due_ack, OLD.first_response_at, OLD.due_first_response,
                          OLD.warn_first_response, OLD.due_update, OLD.warn_update, OLD.due_resolution,
                          OLD.warn_resolution) THEN
        NEW.checked_until := NULL;
    END IF;
    after := coalesce(NEW.checked_until, '-infinity');
    -- least() skips NULLs; a time equal to checked_until is looked at again (a breach needs due < now).
    NEW.next_check := least(
        CASE WHEN NEW.acked_at IS NULL AND NEW.due_ack >= after THEN NEW.due_ack END,
        CASE WHEN NEW.first_response_at IS NULL AND NEW.status NOT IN ('resolved', 'closed') THEN
            least(CASE WHEN NEW.warn_first_response >= after THEN NEW.warn_first_response END,
                  CASE WHEN NEW.due_first_response >= after THEN NEW.due_first_response END) END,
        CASE WHEN NEW.status IN ('new', 'open') THEN
            least(CASE WHEN NEW.warn_update >= after THEN NEW.warn_update END,
                  CASE WHEN NEW.due_update >= after THEN NEW.due_update END,
                  CASE WHEN NEW.warn_resolution >= after THEN NEW.warn_resolution END,
                  CASE WHEN NEW.due_resolution >= after THEN NEW.due_resolution END) END);
    RETURN NEW;
END $$;

CREATE TRIGGER tickets_next_check BEFORE INSERT OR UPDATE ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_next_check();

UPDATE tickets SET warn_first_response = created_at + (due_first_response - created_at) * 0.8
 WHERE first_response_at IS NULL AND due_first_response IS NOT NULL AND status NOT IN ('resolved', 'closed');
-- Every other ticket with a clock still running gets its next_check from the trigger.
UPDATE tickets SET checked_until = NULL
 WHERE (acked_at IS NULL AND due_ack IS NOT NULL) OR status IN ('new', 'open');

CREATE INDEX tickets_next_check ON tickets (next_check) WHERE next_check IS NOT NULL;
-- The scheduler no longer searches the deadlines themselves: their indexes only slowed every ticket change.
DROP INDEX tickets_due_ack, tickets_due_first_response, tickets_due_update, tickets_due_resolution,
           tickets_warn_update, tickets_warn_resolution;
