# t_50_operations.sh - what operators rely on: status with its exit code, metrics, SLA report, config check.

# The scheduler records a pass every few seconds; after a restart status turns healthy within that.
status_ok_within() { # SECONDS
    local end=$((SECONDS + $1))
    until sb cli status >/dev/null 2>&1; do
        [ $SECONDS -lt "$end" ] || return 1
        sleep 0.5
    done
}

t_case "status is healthy while everything runs, and says so in JSON"
t_assert_true status_ok_within 20 "status exits 0"
json=$(sb cli status --json)
t_assert_eq "true" "$(jq -r .ok <<<"$json")" "ok is true"
t_assert_match '^[1-9][0-9]*$' "$(jq -r '.schedulers | length' <<<"$json")" "a scheduler reports its passes"
t_assert_eq "$(jq -r .schema.expected <<<"$json")" "$(jq -r .schema.version <<<"$json")" "schema current"
t_end

t_case "metrics are Prometheus text with the counters the dashboards use"
m=$(sb cli metrics)
t_assert_match '# TYPE supportgate_ack_latency_seconds histogram' "$m" "ack latency histogram"
t_assert_match 'supportgate_messages_total\{direction="in",kind="customer"\} [1-9]' "$m" "customer mails counted"
t_assert_match 'supportgate_outbox_depth [0-9]+' "$m" "outbox depth"
t_assert_eq "" "$(grep -v '^#' <<<"$m" | grep -Ev '^[a-z_]+(\{[^}]*\})? [0-9.]+$')" "every sample line is well formed"
t_end

t_case "sla report counts tickets per SLA and team"
r=$(sb cli sla report --since 1d --json)
t_assert_match '^[1-9]' "$(jq -r '[.rows[] | select(.sla == "ack") | .tickets] | add' <<<"$r")" "ack rows present"
t_assert_eq "true" "$(jq -r '[.rows[] | .met + .breached <= .tickets] | all' <<<"$r")" "met + breached never exceed tickets"
t_end

t_case "sla report: met, breached, median and p95 of every SLA for a known set of tickets"
# Three tickets of 2090 (no other ticket is that new, and no clock of theirs runs out before then), with what
# the gateway measured: A and B closed by the first line, B late with its first response and an update, and
# resolved 2 h 30 min after it came of which 1 h pending on the customer (1 h 30 min of resolution time); C open
# with the system administrators after the first line missed its resolution (that breach stays theirs).
rep=r$RANDOM$RANDOM
ids=$(sb_sql "insert into tickets (status, channel, team, requester, created_at, acked_at, due_ack,
        first_response_at, due_first_response, due_update, update_since, update_longest, due_resolution, resolved_at,
        resolution_seconds)
    select v.status, 'email', v.team, v.n || '.$rep@example.net', b, b + v.ack * s, b + 120 * s, b + v.fr * s,
        b + 600 * s, b + v.upd * s, b + v.upd_since * s, v.longest, b + v.res_due * s, b + v.resolved * s, v.res
    from (select timestamptz '2090-01-01 00:00:00+00' as b, interval '1 second' as s) x,
        (values ('a', 'closed', 'support', 60, 300, null, null, 1800, null, 3600, 3600),
                ('b', 'closed', 'support', 30, 900, null, null, 9000, null, 9000, 5400),
                ('c', 'open', 'sysadmins', 90, 120, 90000, 82800, 600, 86400, null, null))
        v(n, status, team, ack, fr, upd, upd_since, longest, res_due, resolved, res)
    order by v.n returning id")
read -r _ tb tc <<<"$(tr '\n' ' ' <<<"$ids")"
sb_sql "insert into breaches (ticket_id, sla, due, at, notified_at) select $tb, s, d, d, d from (values
        ('first_response', timestamptz '2090-01-01 00:10:00+00'), ('update', timestamptz '2090-01-01 02:00:00+00')) v(s, d);
    insert into breaches (ticket_id, sla, due, at, notified_at, team)
        values ($tc, 'resolution', '2090-01-01 02:00:00+00', '2090-01-01 02:00:00+00', '2090-01-01 02:00:00+00', 'support')" >/dev/null
t_assert_eq "support support support" "$(sb_sql "select string_agg(team, ' ' order by id) from breaches
    where ticket_id in ($tb, $tc)")" "a breach recorded without its team gets the ticket's"
got=$(sb cli sla report --since 2090-01-01T00:00:00Z | tail -n +2 | awk '{$1 = $1} 1')
t_assert_eq "ack support 2 2 0 45.0 58.5
ack sysadmins 1 1 0 90.0 90.0
first_response support 2 1 1 600.0 870.0
first_response sysadmins 1 1 0 120.0 120.0
update support 2 1 1 5400.0 8640.0
update sysadmins 1 0 0 600.0 600.0
resolution support 3 2 1 4500.0 5310.0
resolution sysadmins 1 0 0 - -" "$got" "SLA, team, tickets, met, breached, median and p95 seconds"
t_assert_eq "resolution support 3 2 1 4500 5310" "$(sb cli sla report --since 2090-01-01T00:00:00Z --json |
    jq -r '.rows[] | select(.sla == "resolution" and .team == "support")
    | "\(.sla) \(.team) \(.tickets) \(.met) \(.breached) \(.median_seconds | round) \(.p95_seconds | round)"')" \
    "the same in JSON"
sb_sql "update tickets set status = 'closed' where id = $tc" >/dev/null
t_end

t_case "config check names the file and line of a bad key"
bad=$(mktemp)
{ cat "$SUPPORTGATE_SANDBOX/supportgate.conf"; echo "db_timeout = 45s"; } > "$bad"
lines=$(wc -l < "$bad")
out=$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1); rc=$?
t_assert_true [ "$rc" -ne 0 ] "exit non-zero"
t_assert_match "$bad:$lines: db_timeout: out of range" "$out" "file:line: key: problem"
t_assert_match "supportgate.conf: ok" "$(sb cli config check)" "the sandbox's own file passes"
t_end

t_case "status fails while the database is down"
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$SUPPORTGATE_SANDBOX/pgdata" -m fast -w stop >/dev/null
out=$(sb cli status --json 2>/dev/null); rc=$?
t_assert_true [ "$rc" -ne 0 ] "exit non-zero"
t_assert_eq "unreachable" "$(jq -r .database <<<"$out")" "database reported unreachable"
sb up >/dev/null 2>&1
t_assert_true status_ok_within 30 "healthy again after the database returns"
t_end

t_case "make install puts programs, man pages, migrations, templates and examples under DESTDIR"
dest=$(mktemp -d)
make -s -C "$SG_BUILDDIR" install DESTDIR="$dest" >"$dest.log" 2>&1
t_assert_eq 0 "$?" "make install succeeds"
for f in bin/supportgate sbin/supportgate-milter sbin/supportgate-scheduler share/man/man5/supportgate.conf.5 \
         share/supportgate/sql/001_schema.sql share/supportgate/templates/ack.uk.txt \
         share/doc/supportgate/examples/supportgate.conf.example \
         share/doc/supportgate/examples/supportgate-milter.service; do
    t_assert_eq 1 "$(find "$dest" -path "*/$f" | grep -c .)" "installs $f"
done
t_assert_match "^supportgate " "$("$(find "$dest" -path '*/bin/supportgate')" --version 2>&1)" "the installed CLI runs"
rm -rf "$dest" "$dest.log"
t_end
