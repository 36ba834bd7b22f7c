-- 001_schema.sql - tickets, messages, events, outbox, breaches and the roles that may use them
-- Applied by `supportgate db migrate` in one transaction, as the database owner.

CREATE TABLE tickets (
    id                  bigserial PRIMARY KEY,
    status              text NOT NULL DEFAULT 'new'
                        CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
    channel             text NOT NULL,
    category            text NOT NULL DEFAULT 'standard',
    team                text NOT NULL DEFAULT 'support',
    level               int  NOT NULL DEFAULT 1,
    requester           text NOT NULL,
    requester_name      text,
    cc                  text[] NOT NULL DEFAULT '{}',
    lang                text NOT NULL DEFAULT 'en',
    subject             text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    acked_at            timestamptz,
    first_response_at   timestamptz,
    resolved_at         timestamptz,
    due_ack             timestamptz,
    due_first_response  timestamptz,
    due_update          timestamptz,
    due_resolution      timestamptz
);
-- The scheduler looks only at clocks still running: partial indexes keep a pass proportional to the
-- work due, not to the tickets stored.
CREATE INDEX tickets_due_ack ON tickets (due_ack) WHERE acked_at IS NULL AND due_ack IS NOT NULL;
CREATE INDEX tickets_due_first_response ON tickets (due_first_response)
    WHERE first_response_at IS NULL AND due_first_response IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status) WHERE status NOT IN ('closed');

CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    ticket_id       bigint NOT NULL REFERENCES tickets (id),
    direction       text NOT NULL CHECK (direction IN ('in', 'out')),
    kind            text NOT NULL CHECK (kind IN ('customer', 'agent', 'ack', 'notice', 'internal')),
    message_id      text NOT NULL UNIQUE,
    origin_id       text UNIQUE,             -- an agent's own Message-ID behind a reply we re-sent
    queue_id        text,
    sender          text NOT NULL,
    sender_name     text,
    recipients      text[] NOT NULL DEFAULT '{}',
    subject         text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',
    size            bigint NOT NULL DEFAULT 0,
    attachments     jsonb NOT NULL DEFAULT '[]',
    auto_verdict    text,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_ticket ON messages (ticket_id, at);

CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id),
    at          timestamptz NOT NULL DEFAULT now(),
    type        text NOT NULL
                CHECK (type IN ('created', 'acked', 'replied', 'escalated', 'status', 'breach', 'notified')),
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX events_ticket ON events (ticket_id, at, id);

-- Mail waiting to be sent.  A row is claimed by a lease (locked_until) so that a scheduler killed
-- mid-send leaves it to another after the lease runs out: at most one duplicate per mail in flight.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    ticket_id       bigint REFERENCES tickets (id),
    message_row     bigint REFERENCES messages (id),
    kind            text NOT NULL,
    env_from        text NOT NULL,
    rcpt            text NOT NULL,
    data            bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    failed_at       timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
-- Per-sender acknowledgement limit looks up recent acks by recipient.
CREATE INDEX outbox_rcpt_recent ON outbox (rcpt, created_at) WHERE kind = 'ack';

CREATE TABLE breaches (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id),
    sla         text NOT NULL CHECK (sla IN ('ack', 'first_response', 'update', 'resolution')),
    due         timestamptz NOT NULL,
    at          timestamptz NOT NULL,
    UNIQUE (ticket_id, sla, due)
);
CREATE INDEX breaches_at ON breaches (at);

-- Each program connects as a role with only the rights it needs.  Roles are cluster-wide, so they are
-- created only when missing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supportgate_milter') THEN
        CREATE ROLE supportgate_milter LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supportgate_scheduler') THEN
        CREATE ROLE supportgate_scheduler LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supportgate_cli') THEN
        CREATE ROLE supportgate_cli LOGIN;
    END IF;
END
$$;

GRANT SELECT, INSERT, UPDATE ON tickets, messages TO supportgate_milter;
GRANT SELECT, INSERT ON events, outbox TO supportgate_milter;
GRANT USAGE ON SEQUENCE tickets_id_seq, messages_id_seq, events_id_seq, outbox_id_seq TO supportgate_milter;

GRANT SELECT, UPDATE ON tickets, messages, outbox TO supportgate_scheduler;
GRANT SELECT, INSERT ON events, breaches TO supportgate_scheduler;
GRANT USAGE ON SEQUENCE events_id_seq, breaches_id_seq TO supportgate_scheduler;

GRANT SELECT ON tickets, messages, events, outbox, breaches TO supportgate_cli;
GRANT UPDATE ON tickets TO supportgate_cli;
GRANT INSERT ON events TO supportgate_cli;
GRANT USAGE ON SEQUENCE events_id_seq TO supportgate_cli;
