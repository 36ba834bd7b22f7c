# t_89_pgbouncer.sh - the milter and the command line through pgbouncer in transaction pooling: the intake tests pass.
#
# pgbouncer (Debian's, 1.18) listens on a Unix socket of its own and lends three server sessions per role, one
# transaction at a time (database supportgate), or a whole session (supportgate_session).  The sandbox's milter
# restarts on a configuration that reaches PostgreSQL through it in transaction mode, with db_statement_cache = no;
# the scheduler through it in session mode (it needs its session for LISTEN).  Then t_10_intake.sh runs as it is,
# and the command line reads tickets through the pooler.

conf=$SUPPORTGATE_SANDBOX/supportgate.conf
pid_file=$SUPPORTGATE_SANDBOX/run/milter.pid
# In the sandbox: the postgres user can reach it (pgbouncer runs as postgres), and socket paths stay short.
work89=$(mktemp -d "$SUPPORTGATE_SANDBOX/t89.XXXXXX")
chown postgres "$work89"
run89=$RANDOM$RANDOM
pgport=5432
[ ! -r "$SUPPORTGATE_SANDBOX/pg-primary" ] || read -r _ pgport < "$SUPPORTGATE_SANDBOX/pg-primary"

cat > "$work89/pgbouncer.ini" <<INI
[databases]
supportgate = host=$SUPPORTGATE_SANDBOX/pgsock port=$pgport dbname=supportgate
supportgate_session = host=$SUPPORTGATE_SANDBOX/pgsock port=$pgport dbname=supportgate pool_mode=session
[pgbouncer]
listen_addr =
unix_socket_dir = $work89
listen_port = 6432
auth_type = trust
auth_file = $work89/users.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
admin_users = postgres
logfile = $work89/pgbouncer.log
pidfile = $work89/pgbouncer.pid
INI
printf '"%s" ""\n' postgres supportgate_milter supportgate_cli supportgate_scheduler > "$work89/users.txt"
chown postgres "$work89"/*

# bouncer_sql SQL - pgbouncer's admin console (SHOW ...), rows |-separated.
bouncer_sql() { "$T_PGBIN/psql" -XAtq -h "$work89" -p 6432 -U postgres -d pgbouncer -c "$1" 2> /dev/null; }
# restart_milter - the sandbox's milter on the current configuration, as contrib/sandbox starts it.
restart_milter() { t_stop "$(head -n1 "$pid_file")" supportgate-milter && sb_start_milter; }
# scheduler_pooled - pgbouncer has the scheduler as a client of the session-pooled database (SHOW CLIENTS: type,
# user, database, ...).
scheduler_pooled() {
    bouncer_sql "SHOW CLIENTS" | awk -F'|' '$2 == "supportgate_scheduler" && $3 == "supportgate_session"' | grep -q .
}
# restart_scheduler - the sandbox's scheduler daemon on the current configuration, its pid where the sandbox keeps it.
restart_scheduler() {
    sb_stop_scheduler
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        setsid "$SG_BUILDDIR/supportgate-scheduler" -c "$conf" -d < /dev/null >> "$SUPPORTGATE_SANDBOX/log/scheduler.log" 2>&1 &
    echo $! > "$SUPPORTGATE_SANDBOX/run/scheduler.pid"
    disown $!
    t_alive "$(head -n1 "$SUPPORTGATE_SANDBOX/run/scheduler.pid")" supportgate-scheduler
}
# Back to the sandbox as contrib/sandbox keeps it, whatever way the file ends.
t89_cleanup() {
    [ ! -f "$conf.t89" ] || { cp -p "$conf.t89" "$conf" && rm -f "$conf.t89"; }
    [ ! -r "$work89/pgbouncer.pid" ] || kill "$(cat "$work89/pgbouncer.pid")" 2> /dev/null || true
    t_stop "$(head -n1 "$pid_file" 2> /dev/null)" supportgate-milter 2> /dev/null || true
    sb_stop_scheduler 2> /dev/null || true
    sb up > "$work89/up.log" 2>&1 || tail -n 20 "$work89/up.log"
    rm -rf "$work89"
}
# shellcheck disable=SC2154 # rc89 is set inside the trap
trap 'rc89=$?; t89_cleanup; (exit "$rc89"); t_file_exit' EXIT

# burst KEY N - N new mails sent at once, from KEYi.t89.RUN@example.net with that Message-ID; prints how many
# were answered 250.
burst() {
    local i f
    for i in $(seq 1 "$2"); do
        f=$(printf 'From: Burst <%s%s.t89.%s@example.net>\nTo: support@introserv.com\nSubject: Burst %s %s\nMessage-ID: <%s%s.t89.%s@example.net>\n\nMail %s of a burst through pgbouncer.\n' \
            "$1" "$i" "$run89" "$1" "$i" "$1" "$i" "$run89" "$i" | mkmail)
        sb send "$f" > "$work89/$1.$i" 2>&1 &
    done
    wait
    cat "$work89/$1".* | grep -c '^250 '
}

t_case "pgbouncer in transaction mode in front of PostgreSQL; the milter and the command line use it"
runuser -u postgres -- /usr/sbin/pgbouncer -d "$work89/pgbouncer.ini" > "$work89/start.log" 2>&1 ||
    t_fail "pgbouncer did not start: $(cat "$work89/start.log" "$work89/pgbouncer.log" 2> /dev/null | tail -n 5)"
if ! wait_until 15 test -S "$work89/.s.PGSQL.6432"; then
    t_fail "pgbouncer has no socket in $work89"
    t_end
    return 0 # the rest would only fail for the same reason
fi
t_assert_match 'transaction' "$(bouncer_sql "SHOW CONFIG" | grep '^pool_mode|')" "its pool mode is transaction"
cp -p "$conf" "$conf.t89"
sed -i -e "s|^milter_database = .*|milter_database = host=$work89 port=6432 dbname=supportgate user=supportgate_milter|" \
    -e "s|^cli_database = .*|cli_database = host=$work89 port=6432 dbname=supportgate user=supportgate_cli|" \
    -e "s|^scheduler_database = .*|scheduler_database = host=$work89 port=6432 dbname=supportgate_session user=supportgate_scheduler|" \
    "$conf"
echo "db_statement_cache = no" >> "$conf"
t_assert_true restart_milter "the milter restarts on the pooled connection string"
t_assert_true restart_scheduler "the scheduler restarts on the session-pooled one"
t_assert_true wait_until 15 scheduler_pooled "the scheduler holds its session through pgbouncer"
t_end

# The intake tests, through the pooler.
. "$SG_SRCDIR/tests/e2e/t_10_intake.sh"

t_case "a burst of 40 concurrent mails through three pooled server sessions: each recorded once and acknowledged"
t_assert_eq 40 "$(burst b 40)" "every mail accepted"
t_assert_eq 40 "$(wait_sql "select count(distinct message_id) from messages where message_id like 'b%.t89.$run89@example.net'" 40 30)" \
    "every mail recorded"
t_assert_eq 40 "$(sb_sql "select count(*) from tickets where requester like 'b%.t89.$run89@example.net'")" "one ticket each"
acked=$(wait_sql "select count(*) from outbox where kind = 'ack' and sent_at is not null and rcpt like 'b%.t89.$run89@example.net'" 40 60)
t_assert_eq 40 "$acked" "and acknowledged, by the scheduler through its pooled session"
t_assert_true [ "$(bouncer_sql "SHOW STATS" | awk -F'|' '$1 == "supportgate" { print $2 }')" -ge 40 ] \
    "the transactions went through pgbouncer"
t_figure "pgbouncer, transaction mode: 40 at once over 3 sessions" 40 \
    "$(sb_sql "select count(distinct message_id) from messages where message_id like 'b%.t89.$run89@example.net'")" \
    "$acked" \
    "$(sb_sql "select count(*) - count(distinct message_id) from messages where message_id like 'b%.t89.$run89@example.net'")" \
    "$((40 - $(sb_sql "select count(distinct message_id) from messages where message_id like 'b%.t89.$run89@example.net'")))" \
    "$(t_verdict)"
t_end

t_case "with db_statement_cache = yes behind transaction pooling the milter stops preparing and records every mail"
sed -i 's/^db_statement_cache = no$/db_statement_cache = yes/' "$conf"
t_assert_true restart_milter "the milter restarts with its statement cache on"
t_assert_eq 20 "$(burst k 20)" "every mail accepted at once, none tempfailed"
t_assert_eq 20 "$(sb_sql "select count(distinct message_id) from messages where message_id like 'k%.t89.$run89@example.net'")" \
    "and recorded once"
sed -i 's/^db_statement_cache = yes$/db_statement_cache = no/' "$conf"
t_assert_true restart_milter "the milter restarts without the cache"
t_end

t_case "the command line through the pooler prints times in display_timezone"
t=$(sb_sql "select ticket_id from messages where message_id = 'b1.t89.$run89@example.net'")
out=$("$SG_BUILDDIR/supportgate" -c "$conf" ticket show "$t" 2>&1)
t_assert_match "created +[0-9-]+ [0-9:]+\+02" "$out" "the ticket's times are Kyiv time (+02), as display_timezone says"
t_assert_match "times +Europe/Kyiv" "$out" "and the view names the zone"
t_end
