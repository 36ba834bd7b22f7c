-- 023_approvals.sql - management approval by email: an agent's #approve asks the approvers; one answers.
-- approvers: who may decide (supportgate approver add); the answer counts only from an authenticated approver.
-- approvals: each request on a ticket.  due: when the approvers should have answered (approval_due after the
--   request); remind_at: when they are reminded if nobody has (approval_remind before due); breached_at: set
--   when due passed undecided (a breach of sla 'approval' is recorded then).  message_id: the request mail's,
--   which the approvers' answers refer to.
CREATE TABLE approvers (
    address     text PRIMARY KEY CHECK (address = lower(address) AND address LIKE '%_@_%'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE approvals (
    id            bigserial PRIMARY KEY,
    ticket_id     bigint NOT NULL REFERENCES tickets (id),
    text          text NOT NULL,
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT sg_now(),
    due           timestamptz NOT NULL,
    remind_at     timestamptz,
    reminded_at   timestamptz,
    breached_at   timestamptz,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    decided_by    text,
    decided_at    timestamptz,
    reason        text,
    message_id    text NOT NULL,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX approvals_ticket ON approvals (ticket_id);
-- The scheduler's pass reads only the pending requests, by when they next need something.
CREATE INDEX approvals_pending ON approvals (least(remind_at, due)) WHERE status = 'pending' AND breached_at IS NULL;

ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'acked', 'replied', 'escalated', 'status', 'breach', 'notified',
                    'category', 'assigned', 'eta', 'linked', 'attachment', 'approval'));
ALTER TABLE breaches DROP CONSTRAINT IF EXISTS breaches_sla_check;
ALTER TABLE breaches
    ADD CONSTRAINT breaches_sla_check CHECK (sla IN ('ack', 'first_response', 'update', 'resolution', 'eta', 'approval'));

GRANT SELECT ON approvers TO supportgate_milter, supportgate_scheduler;
GRANT SELECT, INSERT, UPDATE, DELETE ON approvers TO supportgate_cli;
GRANT SELECT, INSERT, UPDATE ON approvals TO supportgate_milter;
GRANT USAGE ON SEQUENCE approvals_id_seq TO supportgate_milter;
GRANT SELECT, UPDATE ON approvals TO supportgate_scheduler;
GRANT SELECT ON approvals TO supportgate_cli;
