-- 015_overload.sql - the first line's backlog over a threshold is an episode: told once, recorded, and shown.
-- overload_episodes: one row per episode.  A pass of any scheduler measures the backlog (tickets waiting for a
--   first response, the oldest wait); over overload_backlog or overload_wait an episode begins and the duty
--   manager and the on-shift level-2 teams are told once; when both fall back under, it ends.  The unique index
--   lets only one episode be open at a time, whichever scheduler opens it.  overflow_team is where intake sent
--   new standard tickets meanwhile (NULL: nowhere); the tickets it sent there carry an 'escalated' event.
CREATE TABLE overload_episodes (
    id            bigserial PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    backlog       int NOT NULL CHECK (backlog >= 0),
    oldest_wait_s bigint NOT NULL CHECK (oldest_wait_s >= 0),
    peak_backlog  int NOT NULL CHECK (peak_backlog >= 0),
    overflow_team text,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX overload_episodes_one_open ON overload_episodes ((true)) WHERE ended_at IS NULL;
CREATE INDEX overload_episodes_started ON overload_episodes (started_at);
-- Intake reads whether an episode is open (the overflow rule); the scheduler keeps the episodes; the CLI shows them.
GRANT SELECT ON overload_episodes TO supportgate_milter, supportgate_cli;
GRANT SELECT, INSERT, UPDATE ON overload_episodes TO supportgate_scheduler;
GRANT USAGE ON SEQUENCE overload_episodes_id_seq TO supportgate_scheduler;
