-- 003_deadlines.sql - the update and resolution clocks the scheduler watches, found through partial indexes.
CREATE INDEX tickets_due_update ON tickets (due_update)
    WHERE due_update IS NOT NULL AND status IN ('new', 'open');
CREATE INDEX tickets_due_resolution ON tickets (due_resolution)
    WHERE due_resolution IS NOT NULL AND status IN ('new', 'open');
