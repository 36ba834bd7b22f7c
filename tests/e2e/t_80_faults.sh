# t_80_faults.sh - fault scenarios end to end: database, milter, relay and scheduler failures, two MTAs on one database.
# shellcheck shell=bash
#
# Each scenario pushes a stream of mail through the sandbox Postfix, breaks one part in the middle, repairs it and
# counts with SQL, the Maildirs and Postfix's queue that nothing was lost or doubled; it reports one t_figure row.
# Sizes are bounded for CI; SG_LONG=1 (contrib/sandbox test --long) runs them at full size.
# T80_SCENARIOS="relay pg" runs a subset (names: relay pg milter scheduler twomta failover), for debugging one of them.
# The two-MTA scenario brings up a second sandbox in $SUPPORTGATE_SANDBOX-b, sharing this sandbox's PostgreSQL
# (contrib/sandbox's SG_SANDBOX_DB_FROM), and removes it afterwards.  Its ports are SG_TEST_B_SMTP_PORT (relay: that
# + 1) and SG_TEST_B_SUBMISSION_PORT, free ones drawn at run time where those are unset.

run=$RANDOM$RANDOM
long=${SG_LONG:-0}
SB=$SUPPORTGATE_SANDBOX
PFCONF=$SB/postfix
BUILD=$SG_BUILDDIR
# The queue of the sandbox Postfix: the customer-side listener below queues mail here, like a sender's MTA would.
CUSTOMER_SOCK=$SB/postfix-queue/public/sgcustomer
own_sched_pid=""
own_sched_conf=""
# The Maildirs counted: this sandbox's, and the second MTA's while the two-MTA scenario runs.
MAILDIRS=("$SB/mail/all")
work80=$(mktemp -d "${TMPDIR:-/tmp}/t80.XXXXXX")
second_sb=""

# Whatever way the file ends (a timeout included), no scheduler of its own and no second sandbox outlive it: the
# sandbox's reset knows neither.  Then the driver's own exit handling, with the file's exit status.
t80_cleanup() {
    stop_own_scheduler
    [ -z "$second_sb" ] || { t_keep_daemon_logs "$SB-b" second-mta; sb_b reset > /dev/null 2>&1; }
    second_sb=""
}
# shellcheck disable=SC2154 # rc80 is set inside the trap
trap 'rc80=$?; t80_cleanup; (exit "$rc80"); t_file_exit' EXIT

# note WHAT - a progress line with the seconds since the case began, to see where a slow run spends its time.
note() { echo "# $(awk -v a="$T_CASE_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%5.1f", b - a }')s $*"; }

# sized CI LONG - the scenario's size for this run in n, and in slow the longest wait for a step that handles the
# whole stream (the caller's locals: bash scoping is dynamic).
sized() {
    if [ "$long" = 1 ]; then n=$2; else n=$1; fi
    slow=$((120 + n / 2))
}

# --- mail generation ------------------------------------------------------------------------------------------

# spec FILE TAG FIRST LAST [DOMAIN] - one line per mail: envelope sender, Message-ID, subject, recipient.  Every mail
# has its own sender, so the per-sender acknowledgement limit never hides a lost acknowledgement.
spec() {
    local f=$1 tag=$2 first=$3 last=$4 dom=${5:-s80.example.net}
    seq "$first" "$last" | awk -v t="$tag" -v r="$run" -v d="$dom" \
        '{ printf "c%s.%s.%s@%s\t%s.%s.%s@e2e.supportgate.test\tfault %s mail %s\tsupport@introserv.com\n", $1, t, r, d, t, $1, r, t, $1 }' > "$f"
}

# The stream generator: SESSIONS parallel SMTP sessions, several mails per session.  With RETRY > 0 a mail that
# gets a 4xx (or a broken connection) is tried again for up to RETRY seconds, as a sending MTA would.  Prints
# "MESSAGE-ID<TAB>FINAL-REPLY-CODE" per mail.
# shellcheck disable=SC2016 # a Perl program
GEN='
use strict; use warnings; use IO::Socket::INET; use IO::Socket::UNIX; use POSIX qw(strftime);
my ($target, $spec, $sessions, $retry) = @ARGV;
open(my $fh, "<", $spec) or die "$spec: $!";
my @mails = map { chomp; [ split /\t/ ] } <$fh>;
close $fh;
sub reply {
    my ($s) = @_; my $code;
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm 90;
    eval { while (my $l = <$s>) { if ($l =~ /^(\d{3}) /) { $code = $1; last } } };
    alarm 0;
    return $code;
}
sub cmd { my ($s, $l) = @_; print $s "$l\r\n" or return undef; return reply($s); }
sub open_session {
    my $s = $target =~ m{^unix:(.*)}
        ? IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $1)
        : IO::Socket::INET->new(PeerAddr => $target, Timeout => 30);
    return undef unless $s;
    $s->autoflush(1);
    my $c = reply($s);
    return $s if defined $c && $c == 220 && (cmd($s, "EHLO gen.e2e.supportgate.test") // 0) == 250;
    close $s;
    return undef;
}
sub one {
    my ($s, $m) = @_;
    my ($from, $mid, $subj, $to) = @$m;
    my $c = cmd($s, "MAIL FROM:<$from>");
    return $c unless defined $c && $c == 250;
    $c = cmd($s, "RCPT TO:<$to>");
    if (!defined $c || $c != 250) { cmd($s, "RSET"); return $c; }
    $c = cmd($s, "DATA");
    return $c unless defined $c && $c == 354;
    my $date = strftime("%a, %d %b %Y %H:%M:%S +0000", gmtime);
    print $s "From: <$from>\r\nTo: <$to>\r\nSubject: $subj\r\nMessage-ID: <$mid>\r\nDate: $date\r\n",
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n",
        "Hello,\r\n\r\nmy server does not answer since this morning ($mid).\r\n.\r\n" or return undef;
    return reply($s);
}
my @kids;
for my $k (0 .. $sessions - 1) {
    my $pid = fork() // die "fork: $!";
    if ($pid) { push @kids, $pid; next; }
    my @q = @mails[grep { $_ % $sessions == $k } 0 .. $#mails];
    my $deadline = time + $retry;
    my $s;
    while (my $m = shift @q) {
        $s //= open_session();
        my $c = $s ? one($s, $m) : undef;
        if (!defined $c || $c == 421) { close $s if $s; $s = undef; }
        if ((!defined $c || $c =~ /^4/) && time < $deadline) {
            push @q, $m;
            select(undef, undef, undef, 0.3);
            next;
        }
        syswrite STDOUT, "$m->[1]\t" . ($c // "000") . "\n";
    }
    cmd($s, "QUIT") if $s;
    exit 0;
}
waitpid($_, 0) for @kids;
'

# gen TARGET SPEC SESSIONS RETRY OUT - run the generator (TARGET: unix:PATH or 127.0.0.1:PORT), results to OUT.
gen() { perl -e "$GEN" "$1" "$2" "$3" "$4" >> "$5"; }

# --- counting ---------------------------------------------------------------------------------------------------

# mindex - maildir_index (lib.sh) over the Maildirs in MAILDIRS; callers filter by this run's addresses.
mindex() { maildir_index "${MAILDIRS[@]}"; }

# ack_counts TAG - "ONCE REACHED TOTAL EXTRA": how many of TAG's customers got exactly one
# acknowledgement, how many got at least one, how many acknowledgements they got in all, how many were extra copies.
# shellcheck disable=SC2016 # awk program
ack_counts() {
    mindex | awk -F'\t' -v r=".$1.$run@" '
        $1 ~ /^c[0-9]+\./ && index($1, r) == index($1, ".") && $5 == "support@introserv.com" && index($2, "sg.ack.") == 1 { n[$1]++; t++ }
        END { for (a in n) { k++; if (n[a] == 1) o++; else d += n[a] - 1 }; print o + 0, k + 0, t + 0, d + 0 }'
}

# wait_acks TAG COUNT TIMEOUT - until TAG's customers hold COUNT acknowledgements in all.
ack_total() { local t; read -r _ _ t _ <<< "$(ack_counts "$1")"; echo "$t"; }
wait_acks() { wait_until "$3" at_least "$2" ack_total "$1" || echo "# wait_acks: $(ack_total "$1") of $2 acknowledgements for $1 after $3 s"; }

# figure SCENARIO SENT RECORDED ACKED DUPLICATES LOST - the figure row, with the current case's verdict.
figure() { t_figure "$@" "$(t_verdict)"; }

# sql_n SQL - a count from the database (the word "error" when it cannot be read, so assertions fail visibly).
sql_n() { sb_sql "$1" 2> /dev/null || echo error; }

# --- Postfix ------------------------------------------------------------------------------------------------------

pq() { postqueue -c "$PFCONF" "$@"; }
flush_queue() { pq -f 2> /dev/null || true; }

# queued [JQ-FILTER] - how many messages in the sandbox Postfix's queue match the jq filter (default: all).
queued() { pq -j 2> /dev/null | jq -s "[.[] | select(${1:-true})] | length"; }
queue_empty() { [ "$(queued)" = 0 ]; }

# A listener without milter whose mail goes on by SMTP to the milter-attached port: the customer's MTA.  It holds
# what the gateway refuses with 4xx and tries again, which is what the gateway's promise relies on.  It lives in
# this sandbox's master.cf only until the next 'contrib/sandbox up', which rewrites that file.
customer_mta_on() {
    if ! grep -q '^sgcustomer ' "$PFCONF/master.cf"; then
        cat >> "$PFCONF/master.cf" <<EOF
# t_80_faults.sh: a customer's MTA in front of the gateway (removed by the next 'contrib/sandbox up').
sgcustomer unix n - n - - smtpd
  -o syslog_name=postfix-sandbox/customer
  -o smtpd_milters=
  -o receive_override_options=no_milters
  -o content_filter=sgmx:[127.0.0.1]:$SUPPORTGATE_SMTP_PORT
sgmx unix - - n - - smtp
  -o syslog_name=postfix-sandbox/customer-mx
  -o myhostname=customer-mta.supportgate.test
EOF
        postfix -c "$PFCONF" reload > /dev/null 2>&1
    fi
    wait_until 20 test -S "$CUSTOMER_SOCK"
}

# Postfix log lines written since byte offset $1.
log_since() { tail -c +"$(($1 + 1))" "$SB/log/postfix.log"; }
log_size() { stat -c %s "$SB/log/postfix.log"; }

# --- daemons ------------------------------------------------------------------------------------------------------

# PostgreSQL running, started again (as it last ran) when a scenario stopped it.
pg_up() { sb_pg_ctl status > /dev/null 2>&1 || sb_pg_ctl -l "$SB/log/postgresql.log" -w -t 30 restart > /dev/null 2>&1; }

# kill9 PIDFILE NAME - SIGKILL and wait until it is gone.
kill9() {
    local pid
    pid=$(head -n1 "$1" 2> /dev/null) || return 0
    t_alive "$pid" "$2" || return 0
    kill -KILL "$pid"
    wait_until 10 t_gone "$pid" "$2"
}

# start_own_scheduler CONF - a scheduler daemon on CONF, as the sandbox starts one; its pid in own_sched_pid.
start_own_scheduler() {
    own_sched_conf=$1
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        setsid "$BUILD/supportgate-scheduler" -c "$1" -d < /dev/null >> "$SB/log/scheduler.log" 2>&1 &
    own_sched_pid=$!
    # Not a job of this shell: its death by SIGKILL is the scenario, not news for the log.
    disown "$own_sched_pid"
    echo "$own_sched_pid" > "$work80/own-scheduler.pid"
}

stop_own_scheduler() {
    [ -n "$own_sched_pid" ] || return 0
    t_stop "$own_sched_pid" supportgate-scheduler
    own_sched_pid=""
}

# conf_with KEY=VALUE... - a copy of the sandbox configuration with these keys replaced or added; prints its path.
conf_with() {
    local f kv
    f=$(mktemp "$work80/conf.XXXXXX")
    cp "$SB/supportgate.conf" "$f"
    for kv in "$@"; do
        sed -i "/^${kv%%=*} *=/d" "$f"
        printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >> "$f"
    done
    chmod 0640 "$f"
    echo "$f"
}

# The sandbox's scheduler replaced by one with the shortest lease (30 s instead of 2 min): rows claimed by a
# scheduler that lost its database or died are sent again sooner, so the scenario waits less.
use_short_lease() {
    if [ -n "$own_sched_pid" ] && t_alive "$own_sched_pid" supportgate-scheduler &&
        grep -q '^send_lease = 30s' "$own_sched_conf"; then
        return 0
    fi
    stop_own_scheduler
    sb_stop_scheduler
    start_own_scheduler "$(conf_with send_lease=30s)"
}

# The sandbox's milter, started as contrib/sandbox starts it (a supervisor restarting it after a crash).
start_sandbox_milter() { sb_start_milter; }

# Before a scenario: PostgreSQL and the milter up, whatever an earlier scenario left behind.
ensure_up() {
    pg_up || t_fail "PostgreSQL is down and does not start"
    { t_alive "$(head -n1 "$SB/run/milter.pid" 2> /dev/null)" supportgate-milter && [ -S "$SB/run/milter.sock" ]; } ||
        start_sandbox_milter || t_fail "the milter is down and does not start"
}

# For a scenario that sends what it queues itself: everything up but any scheduler.
no_scheduler() {
    ensure_up
    stop_own_scheduler
    sb_stop_scheduler
}

# resent_wrongly TAG - customers of TAG who got more than one acknowledgement although its outbox row was claimed
# only once: a duplicate that no lost lease explains.
# shellcheck disable=SC2016 # awk program
resent_wrongly() {
    local a list=""
    for a in $(mindex | awk -F'\t' -v r=".$1.$run@" '
                   $1 ~ /^c[0-9]+\./ && index($1, r) == index($1, ".") && index($2, "sg.ack.") == 1 { n[$1]++ }
                   END { for (a in n) if (n[a] > 1) print a }'); do
        list+="${list:+,}'$a'"
    done
    [ -n "$list" ] || { echo 0; return; }
    sql_n "select count(*) from outbox where kind = 'ack' and rcpt in ($list) and attempts < 2"
}

# Back to the state later files expect: PostgreSQL, milter and the sandbox's scheduler up, queue delivered and
# empty, the sandbox's own master.cf.  Returns non-zero when that cannot be reached.
restore_sandbox() {
    local rc=0
    stop_own_scheduler
    pg_up || rc=1
    flush_queue
    wait_until 120 queue_empty || { echo "# the Postfix queue did not drain:"; pq -p | tail -n 20; rc=1; }
    sb up > "$work80/up.log" 2>&1 || { tail -n 20 "$work80/up.log"; rc=1; }
    return $rc
}

# =================================================================================================================
# 3. The relay down for a while, then back.

s_relay() {
    local n conf out pending tickets once reached dups slow
    sized 20 100
    t_case "relay down: $n acknowledgements wait with backoff, go out once when it is back, late ones are breaches"
    no_scheduler
    spec "$work80/relay.spec" relay 1 "$n"
    gen "127.0.0.1:$SUPPORTGATE_SMTP_PORT" "$work80/relay.spec" 4 60 "$work80/relay.out"
    t_assert_eq "$n" "$(grep -c $'\t250$' "$work80/relay.out")" "every mail accepted"
    pending="select count(*) from outbox o join messages m on m.ticket_id = o.ticket_id
                where o.kind = 'ack' and m.message_id like 'relay.%.$run@e2e.supportgate.test'"
    t_assert_eq "$n" "$(sql_n "$pending and o.sent_at is null")" "one acknowledgement queued per mail"
    # A relay that refuses connections, quick retries so the backoff shows within seconds.
    conf=$(conf_with "smtp_relay=smtp://127.0.0.1:9" retry_min=1s retry_max=4s)
    start_own_scheduler "$conf"
    wait_sql "$pending and o.attempts >= 3" "$n" 60 > /dev/null
    stop_own_scheduler
    t_assert_eq "$n" "$(sql_n "$pending and o.attempts >= 3 and o.last_error is not null and o.sent_at is null")" \
        "each tried at least three times, the error kept, none sent"
    # Waits 1, 2, 4, 4 ... s: after three attempts the next is at least 4 s away, never more than retry_max.
    t_assert_eq 0 "$(sql_n "$pending and o.attempts >= 3 and (o.next_attempt_at - now() > interval '4.5 s'
                                 or o.next_attempt_at - now() < interval '-30 s')")" "next attempt within retry_max"
    t_assert_eq 0 "$(ack_counts relay | cut -d' ' -f3)" "nothing delivered while the relay is down"
    # The relay is back; three minutes on, every acknowledgement is later than the 2-minute target.
    out=$(sb scheduler --once --now "$(date -d '+3 minutes' --iso-8601=seconds)" 2>&1)
    t_assert_match "sent [0-9]+" "$out" "the pass sends"
    t_assert_eq "$n" "$(sql_n "$pending and o.sent_at is not null")" "every acknowledgement sent"
    wait_acks relay "$n" "$slow"
    read -r once reached _ dups <<< "$(ack_counts relay)"
    t_assert_eq "$n" "$once" "each customer acknowledged exactly once"
    tickets="select m.ticket_id from messages m where m.message_id like 'relay.%.$run@e2e.supportgate.test'"
    t_assert_eq "$n" "$(sql_n "select count(*) from breaches where sla = 'ack' and ticket_id in ($tickets)")" \
        "each late acknowledgement is one ack breach"
    sb scheduler --once --now "$(date -d '+4 minutes' --iso-8601=seconds)" > /dev/null 2>&1
    t_assert_eq "$n" "$(sql_n "select count(*) from breaches where sla = 'ack' and ticket_id in ($tickets)")" \
        "a later pass records no breach twice"
    start_own_scheduler "$(conf_with send_lease=30s)"
    figure "relay down, then back (acks with backoff)" "$n" "$(sql_n "select count(*) from ($tickets) x")" \
        "$reached" "$dups" "$((n - reached))"
    t_end
}

# =================================================================================================================
# 1. PostgreSQL stopped in the middle of a stream, started again.

# held TAG - messages of TAG's customers still waiting in the customer MTA's queue for the gateway.
held() { queued "(.sender | contains(\".$1.$run@\")) and (.recipients | any(.address == \"support@introserv.com\"))"; }
# deferrals_since OFFSET - 4xx answers of the gateway to the customer MTA logged since OFFSET.
deferrals_since() { log_since "$1" | grep 'customer-mx/smtp' | grep -c 'status=deferred.* said: 4[0-9][0-9] '; }
none_queued() { [ "$(queued "(.sender | contains(\".$1.$run@\"))")" = 0 ]; }
# copies_for ADDR - copies delivered to ADDR in the Maildirs counted.
copies_for() { mindex | awk -F'\t' -v m="$1" '$1 == m' | grep -c .; }
generator_done() { ! kill -0 "$1" 2> /dev/null; }

# drain TAG COUNT TIMEOUT - flush the customer MTA's queue every few seconds (its own retry timer would wait
# minutes) until COUNT of TAG's mails are recorded and none is held any more.
drain() {
    local deadline=$(($(date +%s) + $3)) next=0
    while :; do
        if [ "$(date +%s)" -ge "$next" ]; then
            flush_queue
            next=$(($(date +%s) + 5))
        fi
        [ "$(sql_n "select count(*) from messages where message_id like '$1.%.$run@e2e.supportgate.test'")" != "$2" ] ||
            [ "$(held "$1")" != 0 ] || return 0
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

# delivered_in TAG - "COPIES DISTINCT": copies of TAG's mails in the support mailbox, and distinct Message-IDs.
# shellcheck disable=SC2016 # awk program
delivered_in() {
    mindex | awk -F'\t' -v r=".$run@e2e.supportgate.test" -v t="$1." '
        $1 == "support@introserv.com" && index($2, t) == 1 && index($2, r) { c++; if (!seen[$2]++) d++ }
        END { print c + 0, d + 0 }'
}

# assert_recorded_once TAG N - each of TAG's N mails recorded once, one ticket and one acknowledgement row each;
# sets the caller's recorded and dupmsg for its figure row (bash scoping is dynamic).
assert_recorded_once() {
    local tag=$1 n=$2
    recorded=$(sql_n "select count(distinct message_id) from messages where message_id like '$tag.%.$run@e2e.supportgate.test'")
    dupmsg=$(sql_n "select count(*) - count(distinct message_id) from messages where message_id like '$tag.%.$run@e2e.supportgate.test'")
    t_assert_eq "$n" "$recorded" "every mail recorded"
    t_assert_eq 0 "$dupmsg" "none recorded twice"
    t_assert_eq "$n" "$(sql_n "select count(*) from tickets where requester like 'c%.$tag.$run@s80.example.net'")" \
        "one ticket per mail"
    t_assert_eq "$n" "$(sql_n "select count(*) from outbox where kind = 'ack' and rcpt like 'c%.$tag.$run@s80.example.net'")" \
        "one acknowledgement queued per customer"
}

# stream_start NAME N PART - through the customer MTA, submit the N mails of a new spec NAME in the background
# (its pid in gpid, the mail log's size before it in off) and wait until 1/PART of them is recorded (the count in
# before).  The caller's locals receive them: bash scoping is dynamic.
stream_start() {
    local name=$1 n=$2 part=$3
    ensure_up
    customer_mta_on || t_fail "the customer MTA listener did not come up"
    use_short_lease
    spec "$work80/$name.spec" "$name" 1 "$n"
    off=$(log_size)
    gen "unix:$CUSTOMER_SOCK" "$work80/$name.spec" 4 0 "$work80/$name.out" &
    gpid=$!
    wait_sql "select count(*) >= $((n / part)) from messages where message_id like '$name.%.$run@e2e.supportgate.test'" t 120 > /dev/null
    before=$(sql_n "select count(*) from messages where message_id like '$name.%.$run@e2e.supportgate.test'")
}

s_pg() {
    local n gpid off before held_n deferred bounced recorded dupmsg tickets acks once reached dups copies distinct slow
    sized 500 2000
    t_case "PostgreSQL stopped during a stream of $n mails: held with 4xx, each recorded and acknowledged once after"
    # Stop the database once a fifth of the stream is recorded, with the rest still to come.
    stream_start pg "$n" 5
    note "$before recorded: stopping PostgreSQL"
    sb_pg_ctl -m fast -w -t 30 stop > /dev/null || t_fail "pg_ctl stop failed"
    # Down until the whole stream reached the customer MTA and everything it tried since was refused.
    wait_until "$slow" generator_done "$gpid" || t_fail "the stream was not submitted within $slow s"
    wait "$gpid"
    # Enough refusals that the customer MTA holds a good part of the stream (each refusal takes the milter a
    # moment: it tries the database first), then the database comes back under the remaining load.
    wait_until 120 at_least $((n / 10)) deferrals_since "$off" || t_fail "fewer than $((n / 10)) refusals in 120 s"
    held_n=$(held pg)
    deferred=$(deferrals_since "$off")
    t_assert_eq "$n" "$(grep -c $'\t250$' "$work80/pg.out")" "the customer MTA took every mail"
    t_assert_true [ "$before" -lt "$n" ] "the database stopped before the stream ended ($before of $n recorded)"
    t_assert_true [ "$held_n" -gt 0 ] "the customer MTA holds mail the gateway refused ($held_n held)"
    t_assert_true [ "$deferred" -gt 0 ] "the gateway answered 4xx while the database was down ($deferred deferrals)"
    note "$held_n held by the customer MTA: starting PostgreSQL"
    pg_up || t_fail "PostgreSQL did not start again"
    drain pg "$n" "$slow" || t_fail "the held mail was not all handed over within $slow s: $(held pg) left"
    note "all recorded; waiting for the acknowledgements"
    wait_acks pg "$n" "$slow"
    note "all acknowledged"
    assert_recorded_once pg "$n"
    read -r once reached _ dups <<< "$(ack_counts pg)"
    # The scheduler may have been between the relay's 250 and its database update when the database went away:
    # that one acknowledgement goes out again once its lease runs out.  Nothing else may be doubled.
    t_assert_eq "$n" "$reached" "every customer acknowledged"
    t_assert_true [ "$dups" -le 1 ] "at most one acknowledgement doubled (the one in flight), got $dups"
    t_assert_eq 0 "$(resent_wrongly pg)" "a doubled acknowledgement is one that was claimed again after its lease"
    read -r copies distinct <<< "$(delivered_in pg)"
    t_assert_eq "$n $n" "$copies $distinct" "each mail delivered once to the support mailbox"
    bounced=$(log_since "$off" | grep -c 'status=bounced') || true
    t_assert_eq 0 "$bounced" "nothing bounced"
    t_assert_eq 0 "$(mindex | awk -F'\t' -v r=".pg.$run@" 'index($1, r) && $4 == ""' | grep -c .)" "no bounce reached a customer"
    figure "PostgreSQL stopped mid-stream ($held_n held)" "$n" "$recorded" "$reached" "$((dupmsg + dups))" "$((n - recorded))"
    t_end
}

# =================================================================================================================
# 2. The milter killed (SIGKILL) under load and restarted.

# mids_of TAG FILE - the Message-IDs of TAG's mails delivered to the support mailbox, sorted, one a line.
mids_of() {
    mindex | awk -F'\t' -v r=".$run@e2e.supportgate.test" -v t="$1." \
        '$1 == "support@introserv.com" && index($2, t) == 1 && index($2, r) { print $2 }' | sort -u > "$2"
}

s_milter() {
    local n gpid off before held_n deferred recorded copies distinct unrecorded once reached dups slow
    sized 200 1000
    t_case "milter killed (SIGKILL) during a stream of $n mails: nothing passes unrecorded, nothing is lost"
    # Kill the milter once a quarter of the stream is recorded.
    stream_start milter "$n" 4
    note "$before recorded: killing the milter"
    kill9 "$SB/run/milter.pid" supportgate-milter || t_fail "the milter survived SIGKILL"
    # Down until Postfix has refused some mail on its own (milter_default_action = tempfail).
    wait_until 60 at_least 5 deferrals_since "$off" || t_fail "no 4xx from the gateway while its milter was dead"
    held_n=$(held milter)
    deferred=$(deferrals_since "$off")
    note "$deferred refusals, $held_n held: restarting the milter"
    start_sandbox_milter || t_fail "the milter did not start again"
    wait_until "$slow" generator_done "$gpid" || t_fail "the stream was not submitted within $slow s"
    wait "$gpid"
    t_assert_eq "$n" "$(grep -c $'\t250$' "$work80/milter.out")" "the customer MTA took every mail"
    t_assert_true [ "$before" -lt "$n" ] "the milter died before the stream ended ($before of $n recorded)"
    drain milter "$n" "$slow" || t_fail "the held mail was not all handed over within $slow s: $(held milter) left"
    wait_until 60 none_queued milter || t_fail "mail of the stream still queued"
    note "all recorded; waiting for the acknowledgements"
    wait_acks milter "$n" "$slow"
    recorded=$(sql_n "select count(*) from messages where message_id like 'milter.%.$run@e2e.supportgate.test'")
    t_assert_eq "$n" "$recorded" "every mail recorded"
    read -r copies distinct <<< "$(delivered_in milter)"
    t_assert_eq "$n $n" "$copies $distinct" "each mail delivered once to the support mailbox"
    mids_of milter "$work80/milter.delivered"
    sb_sql "select message_id from messages where message_id like 'milter.%.$run@e2e.supportgate.test'" | sort -u > "$work80/milter.recorded"
    unrecorded=$(comm -23 "$work80/milter.delivered" "$work80/milter.recorded" | grep -c .) || true
    t_assert_eq 0 "$unrecorded" "no mail in the support mailbox without its record"
    read -r once reached _ dups <<< "$(ack_counts milter)"
    t_assert_eq "$n $n 0" "$once $reached $dups" "each customer acknowledged exactly once"
    t_assert_eq 0 "$(log_since "$off" | grep -c 'status=bounced')" "nothing bounced"
    figure "milter killed under load ($deferred refusals)" "$n" "$recorded" "$reached" "$((copies - distinct + dups))" \
        "$((n - recorded + unrecorded))"
    t_end
}

# =================================================================================================================
# 4. The scheduler killed (SIGKILL) in the middle of sending many acknowledgements.

s_scheduler() {
    local n acks sent_at_kill claimed reached dups slow
    sized 150 1000
    t_case "scheduler killed (SIGKILL) while sending $n acknowledgements: none lost, at most the one in flight doubled"
    no_scheduler
    spec "$work80/sched.spec" sched 1 "$n"
    gen "127.0.0.1:$SUPPORTGATE_SMTP_PORT" "$work80/sched.spec" 4 120 "$work80/sched.out"
    t_assert_eq "$n" "$(grep -c $'\t250$' "$work80/sched.out")" "every mail accepted"
    acks="select count(*) from outbox where kind = 'ack' and rcpt like 'c%.sched.$run@s80.example.net'"
    t_assert_eq "$n" "$(sql_n "$acks and sent_at is null")" "one acknowledgement waiting per mail"
    # Kill it mid-stream: whatever it had claimed stays leased, the row in flight may already be at the relay.
    start_own_scheduler "$(conf_with send_lease=30s)"
    wait_sql "select ($acks and sent_at is not null) >= $((n / 4))" t 120 > /dev/null
    echo "$own_sched_pid" > "$work80/victim.pid"
    kill9 "$work80/victim.pid" supportgate-scheduler || t_fail "the scheduler survived SIGKILL"
    own_sched_pid=""
    sent_at_kill=$(sql_n "$acks and sent_at is not null")
    claimed=$(sql_n "$acks and sent_at is null and locked_until > now()")
    note "killed with $sent_at_kill sent and $claimed claimed but not recorded as sent"
    t_assert_true [ "$sent_at_kill" -lt "$n" ] "killed before the end ($sent_at_kill of $n sent)"
    start_own_scheduler "$(conf_with send_lease=30s)"
    # The rows the dead scheduler held come back when their 30 s lease runs out.
    wait_sql "$acks and sent_at is null" 0 "$slow" > /dev/null || t_fail "acknowledgements still unsent after $slow s"
    wait_acks sched "$n" 60
    wait_until 60 queue_empty || t_fail "the queue did not drain"
    read -r _ reached _ dups <<< "$(ack_counts sched)"
    t_assert_eq "$n" "$reached" "every customer acknowledged"
    t_assert_true [ "$dups" -le 1 ] "at most one acknowledgement doubled (the one in flight at the kill), got $dups"
    t_assert_eq 0 "$(resent_wrongly sched)" "a doubled acknowledgement is one that was claimed again after its lease"
    t_assert_eq "$n" "$(sql_n "select count(*) from events e join tickets t on t.id = e.ticket_id
                                 where t.requester like 'c%.sched.$run@s80.example.net' and e.type = 'acked'")" \
        "one acked event per ticket"
    figure "scheduler SIGKILL mid-send ($claimed leased)" "$n" \
        "$(sql_n "select count(*) from messages where message_id like 'sched.%.$run@e2e.supportgate.test'")" \
        "$reached" "$dups" "$((n - reached))"
    t_end
}

# =================================================================================================================
# 5. Two MTAs with their milters and two schedulers on one database.

# sb_b ARGS... - contrib/sandbox on the second MTA: its own Postfix, milter and scheduler, this sandbox's database,
# on the ports s_twomta chose (b_smtp, b_sub).
b_smtp="" b_sub=""
sb_b() {
    SUPPORTGATE_SANDBOX=$SB-b SUPPORTGATE_SMTP_PORT=$b_smtp SUPPORTGATE_SUBMISSION_PORT=$b_sub SG_SANDBOX_DB_FROM=$SB sb "$@"
}

s_twomta() {
    local n b mgr tickets bad gpid once reached dups slow
    sized 60 500
    b=$SB-b
    t_case "two MTAs, two milters, two schedulers, one database: each mail sent through both is one ticket, one ack, one notice"
    if ! t_ports SG_TEST_B_SMTP_PORT SG_TEST_B_SUBMISSION_PORT; then
        t_end
        return
    fi
    b_smtp=$T_SMTP_PORT b_sub=$T_SUBMISSION_PORT
    ensure_up
    stop_own_scheduler
    # Both sandboxes' own schedulers run: this one's (restarted by up) and the second one's.
    sb up > "$work80/up-a.log" 2>&1 || { tail -n 20 "$work80/up-a.log"; t_fail "this sandbox did not come up"; }
    second_sb=$b
    sb_b reset > /dev/null 2>&1
    if ! sb_b up > "$work80/up-b.log" 2>&1; then
        tail -n 20 "$work80/up-b.log"
        t_fail "the second MTA did not come up on this sandbox's database"
        t_end
        return
    fi
    MAILDIRS=("$SB/mail/all" "$b/mail/all")
    spec "$work80/two.spec" two 1 "$n"
    # The same mails, the same Message-IDs, at the same time through both MXes.
    gen "127.0.0.1:$SUPPORTGATE_SMTP_PORT" "$work80/two.spec" 3 120 "$work80/two-a.out" &
    gpid=$!
    gen "127.0.0.1:$b_smtp" "$work80/two.spec" 3 120 "$work80/two-b.out"
    wait "$gpid"
    t_assert_eq "$n $n" "$(grep -c $'\t250$' "$work80/two-a.out") $(grep -c $'\t250$' "$work80/two-b.out")" \
        "both MTAs accepted every mail"
    t_assert_eq "$n $n" "$(sql_n "select count(*), count(distinct ticket_id) from messages
                                    where message_id like 'two.%.$run@e2e.supportgate.test'" | tr '|' ' ')" \
        "one message and one ticket per Message-ID"
    t_assert_eq "$n" "$(sql_n "select count(*) from tickets where requester like 'c%.two.$run@s80.example.net'")" "no ticket twice"
    t_assert_eq "$n" "$(sql_n "select count(*) from outbox where kind = 'ack' and rcpt like 'c%.two.$run@s80.example.net'")" \
        "one acknowledgement queued per ticket"
    wait_acks two "$n" "$slow"
    # Breach notices, with both schedulers running: a manager to tell, and these tickets' first-response deadline moved
    # into the past, so that both passes find the same breaches at once.
    mgr=mgr.two.$run@s80.example.net
    sb cli manager add "$mgr" --name "Fault Test Manager" > /dev/null 2>&1 || t_fail "could not add the manager"
    tickets="select id from tickets where requester like 'c%.two.$run@s80.example.net'"
    sb_sql "update tickets set due_first_response = now() - interval '1 minute' where id in ($tickets)" > /dev/null
    sb scheduler --once > /dev/null 2>&1 &
    gpid=$!
    sb_b scheduler --once > /dev/null 2>&1
    wait "$gpid"
    wait_sql "select count(*) from breaches where sla = 'first_response' and ticket_id in ($tickets)" "$n" 60 > /dev/null
    t_assert_eq "$n" "$(sql_n "select count(*) from breaches where sla = 'first_response' and ticket_id in ($tickets)")" \
        "one first-response breach per ticket"
    wait_sql "select count(*) from outbox where rcpt = '$mgr' and ticket_id in ($tickets) and sent_at is not null" "$n" "$slow" > /dev/null
    t_assert_eq "$n" "$(sql_n "select count(*) from outbox where rcpt = '$mgr' and ticket_id in ($tickets)")" \
        "one notice per breach queued for the manager"
    wait_until "$slow" at_least "$n" copies_for "$mgr"
    sb_sql "$tickets" | sort > "$work80/two.tickets"
    # shellcheck disable=SC2016 # awk program
    bad=$(mindex | awk -F'\t' -v m="$mgr" '$1 == m { print $6 }' | sort | uniq -c |
        awk 'NR == FNR { mine[$1] = 1; next } ($2 in mine) && $1 != 1 { b++ } ($2 in mine) { seen++ } END { print b + 0, seen + 0 }' \
            "$work80/two.tickets" -)
    t_assert_eq "0 $n" "$bad" "the manager got exactly one notice per breached ticket (tickets with another count, tickets told)"
    read -r once reached _ dups <<< "$(ack_counts two)"
    t_assert_eq "$n $n 0" "$once $reached $dups" "each customer acknowledged exactly once across both MTAs"
    sb cli manager remove "$mgr" > /dev/null 2>&1 || t_fail "could not remove the manager"
    figure "two MTAs + two schedulers, same Message-IDs" "$((2 * n))" \
        "$(sql_n "select count(*) from messages where message_id like 'two.%.$run@e2e.supportgate.test'")" \
        "$reached" "$dups" "$((n - reached))"
    t_keep_daemon_logs "$SB-b" second-mta
    sb_b reset > /dev/null 2>&1 || t_fail "the second MTA could not be removed"
    second_sb=""
    MAILDIRS=("$SB/mail/all")
    t_end
}

# =================================================================================================================
# 6. Failover: a synchronous standby beside the primary, the primary killed and the standby promoted mid-stream.

# primary_port - the port of the server that takes writes now (contrib/sandbox's pg-primary).
primary_port() { local p=5432; [ ! -r "$SB/pg-primary" ] || read -r _ p < "$SB/pg-primary"; echo "$p"; }

s_failover() {
    local n gpid off before held_n deferred recorded dupmsg tickets acks once reached dups slow sched passes
    sized 500 2000
    t_case "the primary killed and the standby promoted during a stream of $n mails: each recorded and acknowledged once, the scheduler on the new primary without a restart"
    stop_own_scheduler
    sb up --replica > "$work80/replica.log" 2>&1 || { tail -n 20 "$work80/replica.log"; t_fail "up --replica failed"; }
    t_assert_eq sync "$(sql_n "select sync_state from pg_stat_replication where application_name = 'sgstandby'")" \
        "the standby streams synchronously"
    t_assert_match '^host=[^ ]+,[^ ]+ port=5432,5433 target_session_attrs=read-write' \
        "$(sed -n 's/^milter_database = //p' "$SB/supportgate.conf")" "the milter's connection string names both servers"
    t_assert_match '^host=[^ ]+,[^ ]+ port=5432,5433 target_session_attrs=read-write' \
        "$(sed -n 's/^scheduler_database = //p' "$SB/supportgate.conf")" "and the scheduler's"
    local milter_pid
    milter_pid=$(head -n1 "$SB/run/milter.pid")
    stream_start fo "$n" 5
    sched=$own_sched_pid
    note "$before recorded: failing over (primary on port $(primary_port))"
    sb failover > "$work80/failover.log" 2>&1 || { tail -n 20 "$work80/failover.log"; t_fail "failover failed"; }
    t_assert_eq 5433 "$(primary_port)" "the standby on 5433 is the primary now"
    t_assert_eq f "$(sql_n "select pg_is_in_recovery()")" "and takes writes"
    wait_until "$slow" generator_done "$gpid" || t_fail "the stream was not submitted within $slow s"
    wait "$gpid"
    held_n=$(held fo)
    deferred=$(deferrals_since "$off")
    drain fo "$n" "$slow" || t_fail "the held mail was not all handed over within $slow s: $(held fo) left"
    note "all recorded; waiting for the acknowledgements"
    wait_acks fo "$n" "$slow"
    t_assert_eq "$n" "$(grep -c $'\t250$' "$work80/fo.out")" "the customer MTA took every mail"
    t_assert_true [ "$before" -lt "$n" ] "the failover came before the stream ended ($before of $n recorded)"
    t_assert_true [ "$((held_n + deferred))" -gt 0 ] \
        "the switch was felt: mail was tempfailed and held by its sender ($held_n held, $deferred deferrals)"
    t_assert_eq "$milter_pid" "$(head -n1 "$SB/run/milter.pid")" "the milter found the new primary without a restart"
    assert_recorded_once fo "$n"
    read -r once reached _ dups <<< "$(ack_counts fo)"
    t_assert_eq "$n" "$reached" "every customer acknowledged"
    # As when the database stops: the acknowledgement between the relay's 250 and its update may go again.
    t_assert_true [ "$dups" -le 1 ] "at most one acknowledgement doubled (the one in flight), got $dups"
    t_assert_true t_alive "$sched" supportgate-scheduler "the scheduler that ran before the failover still runs"
    passes=$(sql_n "select count(*) from scheduler_passes where instance like '%:$sched' and last_pass_at > now() - interval '30 seconds'")
    t_assert_eq 1 "$passes" "and its passes are recorded on the new primary"
    read -r copies distinct <<< "$(delivered_in fo)"
    t_assert_eq "$n $n" "$copies $distinct" "each mail delivered once to the support mailbox"
    note "$held_n held, $deferred deferrals; rebuilding the old primary as the standby"
    stop_own_scheduler
    sb up --replica > "$work80/rebuild.log" 2>&1 || { tail -n 20 "$work80/rebuild.log"; t_fail "the standby could not be rebuilt"; }
    t_assert_eq sync "$(sql_n "select sync_state from pg_stat_replication where application_name = 'sgstandby'")" \
        "the old primary's directory is a synchronous standby again"
    figure "primary killed, standby promoted ($held_n held)" "$n" "$recorded" "$reached" "$((dupmsg + dups))" "$((n - recorded))"
    t_end
}

# =================================================================================================================
# run the scenarios

for s in ${T80_SCENARIOS:-relay pg milter scheduler twomta failover}; do
    if declare -F "s_$s" > /dev/null; then "s_$s"; else t_case "scenario $s"; t_fail "no scenario named $s"; t_end; fi
done

t_case "the sandbox is left whole: PostgreSQL, milter and scheduler up, the queue delivered"
restore_sandbox || t_fail "the sandbox could not be restored"
t_assert_true sb status "every part of the sandbox runs"
t_assert_eq 0 "$(queued)" "the Postfix queue is empty"
t_end
rm -rf "$work80"
