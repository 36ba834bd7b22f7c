-- 022_incident_watch.sql - possible incidents: new tickets from many customers that share a clue within minutes.
-- ticket_clues: the clues (host:NAME, ip:ADDR, word:KEYWORD, class:TEAM/CATEGORY) a pass of the scheduler read in
--   each new ticket's first mail; kept only as long as the watch window needs them.
-- clue_scan: how far the passes have read (the highest ticket id), so each ticket is read once.
-- possible_incidents: each notice the first line got, with the tickets it listed; a later group that shares
--   a ticket with one of them is the same episode and gets no second notice.
CREATE TABLE ticket_clues (
    ticket_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    clue       text NOT NULL,
    requester  text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, clue)
);
CREATE INDEX ticket_clues_created ON ticket_clues (created_at);

CREATE TABLE clue_scan (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_ticket bigint NOT NULL
);
-- Tickets from before the watch existed are history, not news.
INSERT INTO clue_scan (last_ticket) SELECT coalesce(max(id), 0) FROM tickets;

CREATE TABLE possible_incidents (
    id         bigserial PRIMARY KEY,
    clue       text NOT NULL,
    noticed_at timestamptz NOT NULL,
    tickets    bigint[] NOT NULL
);
CREATE INDEX possible_incidents_noticed ON possible_incidents (noticed_at);

GRANT SELECT, INSERT, DELETE ON ticket_clues TO supportgate_scheduler;
GRANT SELECT, UPDATE ON clue_scan TO supportgate_scheduler;
GRANT SELECT, INSERT ON possible_incidents TO supportgate_scheduler;
GRANT USAGE ON SEQUENCE possible_incidents_id_seq TO supportgate_scheduler;
GRANT SELECT ON ticket_clues, clue_scan, possible_incidents TO supportgate_cli;
