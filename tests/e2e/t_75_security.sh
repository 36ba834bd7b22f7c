# t_75_security.sh - the daemons' roles cannot destroy data, secrets stay out of logs and ps, a world-readable file
# with a secret is refused, and a customer's #commands do nothing.

SB=$SUPPORTGATE_SANDBOX
CONF=$SB/supportgate.conf
BUILD=$SG_BUILDDIR
run=$RANDOM$RANDOM
# Never a word of any other test's data, so finding it anywhere means it leaked.
secret=SgSecret${run}x
relay_port=$((SUPPORTGATE_SMTP_PORT + 1))

conf_val() { sed -n "s/^$1 = //p" "$CONF"; }

# as_role CONNINFO SQL - run SQL as the role of CONNINFO inside a transaction rolled back, so a role that wrongly may
# do it leaves the tables as they were; prints psql's output and errors; fails when PostgreSQL refused.
as_role() {
    PGCLIENTENCODING=UTF8 "$T_PGBIN/psql" -XAtq -v ON_ERROR_STOP=1 "$1" \
        -c "set lock_timeout = '5s'; begin; $2; rollback" 2>&1
}

for role in milter scheduler; do
    t_case "the $role's database role cannot drop, alter or truncate tables, nor delete tickets"
    ci=$(conf_val "${role}_database")
    t_assert_match "user=supportgate_$role" "$ci" "the sandbox gives the $role its own role"
    t_assert_eq "supportgate_$role" "$(as_role "$ci" "select current_user")" "connected as supportgate_$role"
    for tbl in tickets messages outbox events; do
        for sql in "drop table $tbl" "alter table $tbl add column sg_t75 int" "truncate $tbl" "delete from $tbl"; do
            out=$(as_role "$ci" "$sql"); rc=$?
            t_assert_true [ "$rc" -ne 0 ] "'$sql' as supportgate_$role is refused ($out)"
            t_assert_match "permission denied|must be owner" "$out" "'$sql' fails for want of rights"
        done
    done
    t_assert_match '^[0-9]+$' "$(sb_sql "select count(*) from tickets")" "the tables are still there"
    t_end
done

# A copy of the sandbox's configuration with a password in every connection string (keyword and URI forms) and
# in the relay's URL.  The cluster trusts local connections, so the passwords are carried but never checked.
mkconf() { # FILE MODE - the secret configuration, its milter on a socket of its own
    sed -e "s|^\(database = .*\)$|\1 password=$secret|" \
        -e "s|^\(scheduler_database = .*\)$|\1 password=$secret|" \
        -e "s|^\(cli_database = .*\)$|\1 password='$secret'|" \
        -e "s|^milter_database = .*$|milter_database = postgresql://supportgate_milter:$secret@/supportgate?host=$SB/pgsock\&port=5432|" \
        -e "s|^milter_socket = .*$|milter_socket = unix:$SB/run/milter-t75.sock|" \
        -e "s|^smtp_relay = .*$|smtp_relay = smtp://relayuser:$secret@127.0.0.1:$relay_port|" \
        "$CONF" > "$1"
    chmod "$2" "$1"
}
secconf=$SB/t75-secret.conf
mkconf "$secconf" 0640

# start_bg LOG PROGRAM ARGS... - a daemon with the secret configuration, its output in the sandbox's log directory
# (where the sanitizer scan looks); prints its PID.
start_bg() {
    local log=$1
    shift
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 setsid "$@" < /dev/null >> "$log" 2>&1 &
    echo $!
}

stop_bg() { t_stop "$1" "" 3; } # PID - SIGTERM, 3 s for libmilter to wind down, then SIGKILL

# leaks_in PID - the file under /proc/PID holding the secret (cmdline or environ), if any.
leaks_in() {
    local f v
    for f in cmdline environ; do
        v=$(tr '\0' ' ' < "/proc/$1/$f" 2> /dev/null) || continue
        [[ $v == *"$secret"* ]] && echo "/proc/$1/$f"
    done
}

t_case "passwords in the configuration appear in no log, no ps line and no output of the programs"
mlog=$SB/log/milter-t75.log sl=$SB/log/scheduler-t75.log
mpid=$(start_bg "$mlog" "$BUILD/supportgate-milter" -c "$secconf" -d)
spid=$(start_bg "$sl" "$BUILD/supportgate-scheduler" -c "$secconf" -d)
for _ in $(seq 1 100); do [ -S "$SB/run/milter-t75.sock" ] && break; sleep 0.1; done
t_assert_true [ -S "$SB/run/milter-t75.sock" ] "the milter started with the secret configuration"
# A mail through the sandbox, so the second scheduler (its relay URL holds the password) may well send its ack.
read -r t _ < <(open_ticket "sec.t75.$run@example.net" "Password reset")
t_assert_match '^[0-9]+$' "$t" "a ticket while the secret daemons run"
wait_mail "sec.t75.$run@example.net" 1 > /dev/null || t_fail "acknowledged"
t_assert_true t_alive "$spid" "the scheduler with the secret configuration runs"
out=$({
    "$BUILD/supportgate" -c "$secconf" config check
    "$BUILD/supportgate" -c "$secconf" ticket show "$t"
    "$BUILD/supportgate" -c "$secconf" tickets list
    # A database that does not exist: the error names the key and the file, never the password.
    sed "s|^cli_database = .*$|cli_database = host=$SB/pgsock dbname=sg_t75_none user=supportgate_cli password=$secret|" \
        "$secconf" > "$SB/t75-bad.conf"
    chmod 0640 "$SB/t75-bad.conf"
    "$BUILD/supportgate" -c "$SB/t75-bad.conf" tickets list
} 2>&1)
t_assert_match "sg_t75_none" "$out" "the failed connection is reported"
ps_hits=""
for p in /proc/[0-9]*; do
    ps_hits+=$(leaks_in "${p#/proc/}")
done
t_assert_eq "" "$ps_hits" "no process shows the password in its command line or environment"
# The pattern from a file: a grep given the password as an argument would itself show it.
printf '%s\n' "$secret" > "$SB/t75-secret.pat"
t_assert_eq "" "$(ps -eo pid=,args= | grep -F -f "$SB/t75-secret.pat")" "ps shows it nowhere"
stop_bg "$mpid"
stop_bg "$spid"
rm -f "$SB/run/milter-t75.sock"
t_assert_match "relayuser:\*\*\*@" "$(cat "$sl")" "the scheduler names its relay with the password masked"
t_assert_eq "" "$(grep -lF -f "$SB/t75-secret.pat" "$SB"/log/*.log 2> /dev/null)" "no log in $SB/log holds the password"
[[ $out == *"$secret"* ]] && t_fail "the command line's output holds the password: $(grep -F "$secret" <<< "$out" | head -3)"
t_end

t_case "a configuration file with a password is refused while anyone may read it, with the file and key named"
for form in keyword uri relay; do
    f=$SB/t75-$form.conf
    # One secret per file, so each refusal must name the key that holds it.
    case $form in
        keyword) key=database edit="s|^\(database = .*\)$|\1 password=$secret|" ;;
        uri) key=milter_database
            edit="s|^milter_database = .*$|milter_database = postgresql://supportgate_milter:$secret@/supportgate?host=$SB/pgsock|" ;;
        relay) key=smtp_relay edit="s|^smtp_relay = .*$|smtp_relay = smtp://relayuser:$secret@127.0.0.1:$relay_port|" ;;
    esac
    # Its own socket, in case the milter wrongly starts.
    sed -e "$edit" -e "s|^milter_socket = .*$|milter_socket = unix:$SB/run/milter-t75.sock|" "$CONF" > "$f"
    chmod 0644 "$f"
    out=$("$BUILD/supportgate" -c "$f" config check 2>&1); rc=$?
    t_assert_true [ "$rc" -ne 0 ] "config check refuses the world-readable file ($form)"
    t_assert_match "$f:[0-9]+: $key: holds a password but the file is world-readable" "$out" "the error names file and key ($form)"
    out=$(timeout 20 "$BUILD/supportgate-milter" -c "$f" -d 2>&1); rc=$?
    t_assert_true [ "$rc" -ne 0 ] "the milter refuses to start with it ($form)"
    t_assert_ne 124 "$rc" "the milter exits at once instead of serving ($form)"
    t_assert_match "$key: holds a password" "$out" "the milter says why ($form)"
    out=$(timeout 20 "$BUILD/supportgate-scheduler" -c "$f" --once 2>&1); rc=$?
    t_assert_true [ "$rc" -ne 0 ] "the scheduler refuses it ($form)"
    t_assert_match "$key: holds a password" "$out" "the scheduler says why ($form)"
    [[ $out == *"$secret"* ]] && t_fail "the refusal quotes the password ($form)"
    chmod 0640 "$f"
    out=$("$BUILD/supportgate" -c "$f" config check 2>&1); rc=$?
    t_assert_eq 0 "$rc" "accepted at 0640 ($form: $out)"
    t_assert_match "ok" "$out" "config check says ok at 0640 ($form)"
done
rm -f "$SB/run/milter-t75.sock"
t_end

t_case "config check warns, without failing, when the milter would run with the owner's role"
f=$SB/t75-nomilterdb.conf
sed '/^milter_database = /d' "$CONF" > "$f"
chmod 0640 "$f"
out=$("$BUILD/supportgate" -c "$f" config check 2>&1); rc=$?
t_assert_eq 0 "$rc" "still valid ($out)"
t_assert_match "warning: [^ ]*: milter_database is not set" "$out" "the warning names the key"
out=$("$BUILD/supportgate" -c "$CONF" config check 2>&1)
t_assert_no_match "warning" "$out" "no warning when every daemon has its own role"
t_end

t_case "a customer's mail with #status and #assign lines changes nothing"
who=cmd.t75.$run@example.net
# A real agent, so the #assign would be valid in an agent's mail.
sb cli agent add bohdan@introserv.com --name Bohdan --team sysadmins --lead > /dev/null
read -r t cmid < <(open_ticket "$who" "Cannot log in" "$(printf '#status resolved\n#assign bohdan@introserv.com\nHelp please.')")
t_assert_match '^[0-9]+$' "$t" "recorded"
t_assert_match '^(new|open)\|$' "$(sb_sql "select status || '|' || coalesce(assignee, '') from tickets where id = $t")" \
    "a new ticket with commands in its text is neither resolved nor assigned"
state="select status || '|' || coalesce(assignee, '') || '|' || category || '|' || team from tickets where id = $t"
before=$(sb_sql "$state")
rmid=$(uniq_id)
sb send "$(mkmail <<EOF2
From: Customer <$who>
To: support@introserv.com
Subject: Re: [INTROSERV #$t] Cannot log in
Message-ID: <$rmid>
In-Reply-To: <$cmid>

#status resolved
#assign bohdan@introserv.com
#category simple
#escalate billing
Thanks, but it still fails.
EOF2
)" > /dev/null
t_assert_eq "$t" "$(wait_sql "select ticket_id from messages where message_id = '$rmid'" '' 15)" "the reply joins the ticket"
t_assert_eq "customer" "$(sb_sql "select kind from messages where message_id = '$rmid'")" "recorded as the customer's"
# Commands act in the same transaction that records the mail; the pause only lets a wrong late effect show.
sleep 2
t_assert_eq "$before" "$(sb_sql "$state")" "status, assignee, category and team unchanged"
t_assert_eq 0 "$(sb_sql "select count(*) from events where ticket_id = $t
    and (type in ('status', 'category', 'assigned', 'escalated') or detail ~* 'assign')")" \
    "no status, category, escalation or assignment event"
t_end

rm -f "$SB"/t75-*.conf "$SB/t75-secret.pat"
