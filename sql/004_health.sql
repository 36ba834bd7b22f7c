-- 004_health.sql - each scheduler's last pass, so `supportgate status` can tell a stalled scheduler.
CREATE TABLE scheduler_passes (
    instance     text PRIMARY KEY,          -- host:pid
    started_at   timestamptz NOT NULL DEFAULT now(),
    last_pass_at timestamptz NOT NULL DEFAULT now(),
    last_error   text
);
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduler_passes TO supportgate_scheduler;
GRANT SELECT ON scheduler_passes TO supportgate_cli;
