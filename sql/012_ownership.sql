-- 012_ownership.sql - who is responsible for a ticket and who is only kept informed; the first line's reminders while its team is away.
-- assignee (since 002): the one agent of the owning team responsible for the ticket, or NULL (the team's mailbox).
-- watchers: agents kept informed (customers' follow-ups are copied to them) but told of no deadline: an escalation
--   makes the former assignee one.
-- hold_due: when the first line is next reminded to write to the customer while the owning team is off shift
--   (NULL: no such reminder runs, e.g. a ticket the first line owns itself); see supportgate-scheduler(8).
ALTER TABLE tickets ADD COLUMN watchers text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN hold_due timestamptz;
CREATE INDEX tickets_hold_due ON tickets (hold_due) WHERE hold_due IS NOT NULL;
-- Open tickets of another team get their first reminder time at their next change.
