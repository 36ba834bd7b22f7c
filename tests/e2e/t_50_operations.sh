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
