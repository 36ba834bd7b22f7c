-- 002_agents.sql - teams, agents and managers; who a ticket is assigned to and when it should be done.

-- Teams are declared in supportgate.conf (with their calendars); the scheduler mirrors them here so
-- that reports and foreign keys can see them.
CREATE TABLE teams (
    name        text PRIMARY KEY,
    level       int NOT NULL CHECK (level BETWEEN 1 AND 3),
    mailbox     text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    address     text PRIMARY KEY CHECK (address = lower(address) AND address LIKE '%_@_%'),
    name        text NOT NULL,
    team        text NOT NULL,
    lead        boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE managers (
    address     text PRIMARY KEY CHECK (address = lower(address) AND address LIKE '%_@_%'),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tickets
    ADD COLUMN assignee text,
    ADD COLUMN eta timestamptz,
    ADD COLUMN last_customer_message_id text;

-- Resolved tickets close after a quiet period: the scheduler finds them by this index.
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE status = 'resolved';

GRANT SELECT ON teams, agents TO supportgate_milter;
GRANT SELECT, INSERT, UPDATE ON teams TO supportgate_scheduler;
GRANT SELECT ON agents, managers TO supportgate_scheduler;
GRANT SELECT, INSERT, UPDATE, DELETE ON agents, managers TO supportgate_cli;
GRANT SELECT ON teams TO supportgate_cli;
GRANT INSERT ON events TO supportgate_scheduler;
