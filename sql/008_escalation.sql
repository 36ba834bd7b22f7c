-- 008_escalation.sql - escalation restarts the owning team's resolution clock; warnings fall due in working time.
-- escalated_at: when the current team received the ticket by escalation (its resolution clock starts then).
-- warn_update, warn_resolution: when warn_at percent of each span has passed in the team's working hours,
-- computed with the deadlines; tickets from before this version get theirs at their next change.
ALTER TABLE tickets ADD COLUMN escalated_at timestamptz,
                    ADD COLUMN warn_update timestamptz,
                    ADD COLUMN warn_resolution timestamptz;
CREATE INDEX tickets_warn_update ON tickets (warn_update)
    WHERE warn_update IS NOT NULL AND status IN ('new', 'open');
CREATE INDEX tickets_warn_resolution ON tickets (warn_resolution)
    WHERE warn_resolution IS NOT NULL AND status IN ('new', 'open');
