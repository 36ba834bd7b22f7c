# tests/e2e/lib.sh - helpers for the end-to-end test files (sourced by tests/run-tests, one bash per t_*.sh file).
# shellcheck shell=bash
#
# A test file is a sequence of cases:
#     t_case "what the case shows"
#     t_assert_eq EXPECTED ACTUAL MSG | t_assert_match ERE STRING MSG | t_assert_true CMD... MSG | t_fail MSG
#     t_end
# A failed assertion prints its message and marks the case failed; the file goes on with the next assertion.
# Results go to $T_RESULTS (one line per case) for tests/run-tests; T_PASSED/T_FAILED count them in this shell.
#
# Environment (set by tests/run-tests): SG_SRCDIR, SG_BUILDDIR, SUPPORTGATE_SANDBOX, SUPPORTGATE_SMTP_PORT,
# SUPPORTGATE_SUBMISSION_PORT, T_RESULTS, T_FIGURES.
#
# What more than one file needs lives here, once: the sandbox (sb, sb_sql, psql_in, sb_pg_ctl, sb_stop_scheduler,
# sb_reload, sb_blast, t_ports for a second sandbox), waiting (wait_sql, wait_mail, wait_until, at_least), time
# (iso, pass_at, kyiv), processes (t_alive, t_stop, is_asan), tickets and mail (open_ticket, agent_mail, mkmail,
# plain_mail, hdr, maildir_index).  A file keeps only what is its own; it prepares the agents, managers and
# tickets it uses itself, so that it also runs alone (SG_E2E_ONLY).

T_PASSED=0
T_FAILED=0
T_CASE=""
T_CASE_FAILED=0
T_CASE_START=0
T_FILE=${T_FILE:-$(basename "${BASH_SOURCE[1]:-interactive}")}
T_RESULTS=${T_RESULTS:-/dev/null}
T_PGBIN=/usr/lib/postgresql/15/bin

# --- cases and assertions ------------------------------------------------------------------------------------

t_case() {
    [ -z "$T_CASE" ] || { echo "# note: case '$T_CASE' had no t_end; closing it"; t_end; }
    T_CASE=$1
    T_CASE_FAILED=0
    T_CASE_START=$(date +%s.%N)
    echo "# --- $T_CASE"
    printf 'begin\t%s\t%s\n' "$T_FILE" "$T_CASE" >> "$T_RESULTS"
}

t_end() {
    local secs
    if [ -z "$T_CASE" ]; then
        echo "# note: t_end without t_case"
        return 0
    fi
    secs=$(awk -v a="$T_CASE_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ "$T_CASE_FAILED" = 0 ]; then
        echo "ok - $T_CASE"
        printf 'ok\t%s\t%s\t%s\n' "$T_FILE" "$T_CASE" "$secs" >> "$T_RESULTS"
        T_PASSED=$((T_PASSED + 1))
    else
        echo "not ok - $T_CASE"
        printf 'not ok\t%s\t%s\t%s\n' "$T_FILE" "$T_CASE" "$secs" >> "$T_RESULTS"
        T_FAILED=$((T_FAILED + 1))
    fi
    T_CASE=""
}

# t_fail MSG - fail the current case (an assertion outside any case opens one, so it is never lost).
t_fail() {
    [ -n "$T_CASE" ] || t_case "assertions outside any case in $T_FILE"
    T_CASE_FAILED=1
    printf '#   FAILED: %s\n' "$1"
}

t_assert_eq() { # EXPECTED ACTUAL MSG
    [ "$1" == "$2" ] || t_fail "$3: expected '$1', got '$2'"
}

t_assert_ne() { # UNEXPECTED ACTUAL MSG
    [ "$1" != "$2" ] || t_fail "$3: got '$2', which it must not be"
}

# The regex is a bash ERE matched against the whole string (^ and $ are its ends, not line ends).
t_assert_match() { # ERE STRING MSG
    [[ $2 =~ $1 ]] || t_fail "$3: '$2' does not match /$1/"
}

t_assert_no_match() { # ERE STRING MSG
    if [[ $2 =~ $1 ]]; then t_fail "$3: '$2' matches /$1/"; fi
}

t_assert_true() { # CMD... MSG
    local msg=${*: -1}
    "${@:1:$#-1}" || t_fail "$msg (command failed: ${*:1:$#-1})"
}

t_assert_false() { # CMD... MSG
    local msg=${*: -1}
    if "${@:1:$#-1}"; then t_fail "$msg (command succeeded: ${*:1:$#-1})"; fi
}

# --- the sandbox ---------------------------------------------------------------------------------------------

sb() { "$SG_SRCDIR/contrib/sandbox" "$@"; }

# psql_in SANDBOX [PSQL-ARGS...] - psql -XAtq (unaligned, |-separated rows) as the superuser on the database of the
# sandbox in the directory SANDBOX; SQL from -c or stdin.
psql_in() {
    local dir=$1 port=5432
    shift
    # After contrib/sandbox failover the primary is the other server (pg-primary: "DIRECTORY PORT").
    [ ! -r "$dir/pg-primary" ] || read -r _ port < "$dir/pg-primary"
    PGCLIENTENCODING=UTF8 "$T_PGBIN/psql" -XAtq -v ON_ERROR_STOP=1 -h "$dir/pgsock" -p "$port" -U postgres -d supportgate "$@"
}

# sb_sql SQL - rows of the query on this sandbox's database.
sb_sql() { psql_in "$SUPPORTGATE_SANDBOX" -c "$1"; }

# sb_pg_ctl ARGS... - pg_ctl on the sandbox's cluster as its owner.  `restart` on a stopped cluster starts it with
# the options of its last run (postmaster.opts): the socket directory and settings contrib/sandbox gave it.
sb_pg_ctl() {
    local dir=pgdata
    [ ! -r "$SUPPORTGATE_SANDBOX/pg-primary" ] || read -r dir _ < "$SUPPORTGATE_SANDBOX/pg-primary"
    runuser -u postgres -- "$T_PGBIN/pg_ctl" -D "$SUPPORTGATE_SANDBOX/$dir" "$@"
}

# sb_start_milter - the sandbox's milter on its configuration, started as contrib/sandbox starts it (the pid in
# run/milter.pid); true once its socket is there.
sb_start_milter() {
    rm -f "$SUPPORTGATE_SANDBOX/run/milter.sock"
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        setsid "$SG_BUILDDIR/supportgate-milter" -c "$SUPPORTGATE_SANDBOX/supportgate.conf" -d < /dev/null \
        >> "$SUPPORTGATE_SANDBOX/log/milter.log" 2>&1 &
    echo $! > "$SUPPORTGATE_SANDBOX/run/milter.pid"
    disown $!
    wait_until 30 test -S "$SUPPORTGATE_SANDBOX/run/milter.sock"
}

# config_check_of BASE LINE... - `supportgate config check` of a copy of the configuration BASE with LINEs added.
config_check_of() {
    local f
    f=$(mktemp "$SUPPORTGATE_SANDBOX/check.XXXXXX")
    cp "$1" "$f"
    shift
    printf '%s\n' "$@" >> "$f"
    "$SG_BUILDDIR/supportgate" -c "$f" config check 2>&1
    rm -f "$f"
}

# sb_stop_scheduler - stop the sandbox's scheduler (SIGTERM, up to 15 s, then SIGKILL); `sb up` starts it again.
sb_stop_scheduler() {
    local pid
    pid=$(head -n1 "$SUPPORTGATE_SANDBOX/run/scheduler.pid" 2> /dev/null) || return 0
    t_stop "$pid" supportgate-scheduler
}

# sb_reload milter|scheduler [ERE] - send the sandbox's daemon its reload signal (the milter SIGUSR1, since
# libmilter owns SIGHUP; the scheduler SIGHUP) and wait up to 15 s for one more line matching ERE (default: the
# reload's success) in its log; 1 on timeout.
sb_reload() {
    local log=$SUPPORTGATE_SANDBOX/log/$1.log ere=${2:-configuration reloaded} sig=HUP n
    [ "$1" = milter ] && sig=USR1
    n=$(grep -cE "$ere" "$log")
    kill -"$sig" "$(head -n1 "$SUPPORTGATE_SANDBOX/run/$1.pid")" || return 1
    wait_until 15 at_least $((n + 1)) grep -cE "$ere" "$log" || { echo "# sb_reload: $1 logged no new '$ere'"; return 1; }
}

# sb_blast SESSIONS SPOOL - tests/mail/smtp-blast: the spool's mails over SESSIONS concurrent SMTP sessions to the
# sandbox; prints "SENT TEMPFAILED REFUSED".
sb_blast() { timeout 1200 perl "$SG_SRCDIR/tests/mail/smtp-blast" "$SUPPORTGATE_SMTP_PORT" "$1" "$2"; }

# t_blast LABEL SESSIONS SPOOL COUNT - sb_blast, its counts on one line, and the assertion that all COUNT mails
# were accepted (none refused); the counts stay in BLAST_SENT, BLAST_TEMPFAILED, BLAST_REFUSED.
t_blast() {
    local start=$SECONDS
    read -r BLAST_SENT BLAST_TEMPFAILED BLAST_REFUSED < <(sb_blast "$2" "$3")
    echo "# $1: sent ${BLAST_SENT:-?}, tempfailed ${BLAST_TEMPFAILED:-?} (retried), refused ${BLAST_REFUSED:-?}" \
        "in $((SECONDS - start)) s"
    t_assert_eq "$4 0" "${BLAST_SENT:-?} ${BLAST_REFUSED:-?}" "every mail accepted (sent, refused)"
}

# t_ports SMTP-VARIABLE SUBMISSION-VARIABLE - ports for a second sandbox in T_SMTP_PORT and T_SUBMISSION_PORT (its
# relay: T_SMTP_PORT + 1): the variables' values where they are set, free ports drawn now where not.  A port that
# is taken fails the case with its number and the variable that moves it; returns 1 then.
t_ports() {
    local drawn taken p var
    T_SMTP_PORT=${!1:-} T_SUBMISSION_PORT=${!2:-}
    if [ -z "$T_SMTP_PORT" ] || [ -z "$T_SUBMISSION_PORT" ]; then
        drawn=$("$SG_SRCDIR/tests/e2e/free-ports") || { t_fail "no free ports on 127.0.0.1: set $1 and $2"; return 1; }
        [ -n "$T_SMTP_PORT" ] || T_SMTP_PORT=${drawn% *}
        [ -n "$T_SUBMISSION_PORT" ] || T_SUBMISSION_PORT=${drawn#* }
    fi
    taken=$("$SG_SRCDIR/tests/e2e/free-ports" --busy "$T_SMTP_PORT" $((T_SMTP_PORT + 1)) "$T_SUBMISSION_PORT") && return 0
    for p in $taken; do
        if [ "$p" = "$T_SUBMISSION_PORT" ]; then var=$2; else var=$1; fi
        if [ -n "${!var:-}" ]; then
            t_fail "127.0.0.1:$p is in use; $var=${!var} chooses it (the relay takes the SMTP port + 1): set $var to a free port or unset it"
        else
            t_fail "127.0.0.1:$p was drawn free but is taken now: run again, or set $var"
        fi
    done
    return 1
}

# wait_sql SQL EXPECTED [TIMEOUT=15] - poll until the query prints EXPECTED (with EXPECTED '': anything non-empty);
# prints the last result; returns 1 on timeout.
wait_sql() {
    local sql=$1 want=$2 timeout=${3:-15} got="" deadline
    deadline=$(($(date +%s%N) + timeout * 1000000000))
    while :; do
        got=$(sb_sql "$sql" 2> /dev/null) || got=""
        if { [ -z "$want" ] && [ -n "$got" ]; } || { [ -n "$want" ] && [ "$got" == "$want" ]; }; then
            printf '%s\n' "$got"
            return 0
        fi
        [ "$(date +%s%N)" -lt "$deadline" ] || break
        sleep 0.2
    done
    echo "# wait_sql: no '${want:-<any row>}' after ${timeout}s from: $sql (last: '$got')" >&2
    printf '%s\n' "$got"
    return 1
}

# wait_mail ADDR COUNT [TIMEOUT=15] - poll until at least COUNT messages were delivered to ADDR; prints their paths
# (oldest first); returns 1 on timeout (printing what there is).
wait_mail() {
    local addr=$1 count=$2 timeout=${3:-15} paths="" n=0 deadline
    deadline=$(($(date +%s%N) + timeout * 1000000000))
    while :; do
        paths=$(sb mail "$addr")
        n=$(printf '%s' "$paths" | grep -c .) || true
        if [ "$n" -ge "$count" ]; then
            printf '%s\n' "$paths"
            return 0
        fi
        [ "$(date +%s%N)" -lt "$deadline" ] || break
        sleep 0.2
    done
    echo "# wait_mail: $n of $count message(s) for $addr after ${timeout}s" >&2
    [ -z "$paths" ] || printf '%s\n' "$paths"
    return 1
}

# newest_for ADDR - the path of the newest mail delivered to ADDR.
newest_for() { sb mail "$1" | tail -n1; }

# mail_matching ADDR ERE - the newest mail for ADDR whose text matches ERE (waits up to 15 s); prints its path.
mail_matching() { # ADDR ERE
    local p
    for _ in $(seq 1 75); do
        p=$(sb mail "$1" | tac | while read -r f; do grep -lE -- "$2" "$f" 2>/dev/null && break; done | head -1)
        [ -n "$p" ] && { echo "$p"; return 0; }
        sleep 0.2
    done
    return 1
}

# find_mail ADDR MESSAGE-ID [TIMEOUT=15] - poll until the copy for ADDR of the mail with MESSAGE-ID (without <>) has
# arrived; prints its path; returns 1 on timeout.
find_mail() {
    local addr=$1 mid=$2 timeout=${3:-15} p deadline
    deadline=$(($(date +%s%N) + timeout * 1000000000))
    while :; do
        while IFS= read -r p; do
            [ -n "$p" ] && [ "$(hdr "$p" Message-ID)" == "<$mid>" ] && { printf '%s\n' "$p"; return 0; }
        done < <(sb mail "$addr" | tac)
        [ "$(date +%s%N)" -lt "$deadline" ] || break
        sleep 0.2
    done
    echo "# find_mail: no mail <$mid> for $addr after ${timeout}s" >&2
    return 1
}

# t_assert_queue_empty TIMEOUT MSG - wait up to TIMEOUT seconds for the sandbox Postfix's queue to empty, then
# assert that it did (later files expect a flushed queue).
t_assert_queue_empty() {
    local deadline=$(($(date +%s) + $1))
    until postqueue -c "$SUPPORTGATE_SANDBOX/postfix" -p 2> /dev/null | grep -q 'Mail queue is empty' ||
        [ "$(date +%s)" -ge "$deadline" ]; do
        sleep 1
    done
    t_assert_match 'Mail queue is empty' "$(postqueue -c "$SUPPORTGATE_SANDBOX/postfix" -p 2>&1 | tail -n1)" "$2"
}

# t_keep_daemon_logs DIR NAME - copy the milter and scheduler logs of the sandbox in DIR (a second one a test is
# about to remove) into this sandbox's log directory as NAME-*.log, where tests/run-tests scans for sanitizer reports.
t_keep_daemon_logs() {
    local f
    for f in "$1"/log/milter*.log "$1"/log/scheduler*.log; do
        [ -f "$f" ] && cat "$f" >> "$SUPPORTGATE_SANDBOX/log/$2-${f##*/}"
    done
    return 0
}

# --- waiting, time and processes ------------------------------------------------------------------------------

# wait_until TIMEOUT CMD... - poll CMD every 0.3 s until it succeeds; 1 after TIMEOUT seconds.
wait_until() {
    local deadline=$(($(date +%s) + $1))
    shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.3
    done
}

# at_least N CMD... - CMD prints a number of at least N.
at_least() {
    local n=$1 got
    shift
    got=$("$@") || true
    [ "${got:-0}" -ge "$n" ] 2> /dev/null
}

# iso EPOCH - the Unix time EPOCH in ISO 8601 with offset, as the scheduler's --now takes it.
iso() { date -d "@$1" --iso-8601=seconds; }
# pass_at EPOCH - one scheduler pass as if it were EPOCH.
pass_at() { sb scheduler --once --now "$(iso "$1")" > /dev/null 2>&1; }
# kyiv EPOCH - the time as the gateway prints it to people (display_timezone Europe/Kyiv).
kyiv() { TZ=Europe/Kyiv date -d "@$1" '+%Y-%m-%d %H:%M'; }

# t_alive PID [NAME] - the process runs, is no zombie (PID 1 may reap late here, so kill -0 is not enough), and,
# with NAME, runs the program NAME.
t_alive() {
    local st
    st=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
    st=${st##*) }
    case ${st%% *} in Z | X | x) return 1 ;; esac
    [ -z "${2:-}" ] || [ "$({ tr '\0' '\n' < "/proc/$1/cmdline"; } 2> /dev/null | head -n1 | xargs -r basename)" = "$2" ]
}
t_gone() { ! t_alive "$@"; }

# t_stop PID [NAME] [GRACE=15] - SIGTERM to the process (when it runs NAME), GRACE seconds to go, then SIGKILL;
# 1 when it is still there 5 s after that.
t_stop() {
    local pid=$1 name=${2:-} grace=${3:-15}
    t_alive "$pid" "$name" || return 0
    kill -TERM "$pid" 2> /dev/null
    wait_until "$grace" t_gone "$pid" "$name" && return 0
    kill -KILL "$pid" 2> /dev/null
    wait_until 5 t_gone "$pid" "$name"
}

# is_asan BINARY - BINARY is built with AddressSanitizer.
is_asan() { ldd "$1" 2> /dev/null | grep -q libasan; }

# t_verdict - ok or FAILED: how the current case stands, for t_figure.
t_verdict() { if [ "$T_CASE_FAILED" = 0 ]; then echo ok; else echo FAILED; fi; }

# --- tickets and agents --------------------------------------------------------------------------------------

# open_ticket CUSTOMER SUBJECT [TEXT] - a customer's request to support@; prints "TICKET MESSAGE-ID" once recorded.
open_ticket() {
    local mid; mid=$(uniq_id)
    sb send "$(mkmail <<EOF2
From: Customer <$1>
To: support@introserv.com
Subject: $2
Message-ID: <$mid>

${3:-Please help.}
EOF2
)" >/dev/null
    echo "$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15) $mid"
}

# agent_mail AGENT TICKET [SUBJECT] - an agent's mail on TICKET (body from stdin) through the authenticated
# submission port; prints its Message-ID.
agent_mail() {
    local mid f; mid=$(uniq_id)
    f=$(mkmail <<EOF2
From: Agent <$1>
To: support@introserv.com
Subject: ${3:-Re: [INTROSERV #$2] help}
Message-ID: <$mid>

$(cat)
EOF2
)
    sb send --auth "$1" "$f" >/dev/null
    echo "$mid"
}

# --- figures --------------------------------------------------------------------------------------------------

# t_figure SCENARIO SENT RECORDED ACKED DUPLICATES LOST RESULT - one row of the fault and load table that
# tests/run-tests prints at the end (RESULT is ok or FAILED; the case's own assertions decide it, this only reports).
t_figure() {
    [ $# -eq 7 ] || { t_fail "t_figure needs 7 fields, got $#: $*"; return 1; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "${T_FIGURES:-/dev/null}"
}

# maildir_index [--newer FILE] MAILDIR... - one line per copy delivered to the Maildirs (with --newer, only those
# delivered after FILE last changed): DELIVERED-TO, MESSAGE-ID, IN-REPLY-TO, RETURN-PATH, FROM, X-SUPPORTGATE-TICKET,
# PATH, tab-separated, the first of each header, without <>; the addresses in lower case, the ids as written.
# One pass over the Maildirs, however many addresses a test counts.
maildir_index() {
    local d newer=() dirs=()
    if [ "${1:-}" = --newer ]; then newer=(-newer "$2"); shift 2; fi
    for d in "$@"; do dirs+=("$d/new" "$d/cur"); done
    # shellcheck disable=SC2016 # awk program
    find "${dirs[@]}" -maxdepth 1 -type f "${newer[@]}" -print0 2> /dev/null |
        xargs -0 -r awk '
            function flush() {
                print h["delivered-to"] "\t" h["message-id"] "\t" h["in-reply-to"] "\t" h["return-path"] "\t" \
                    h["from"] "\t" h["x-supportgate-ticket"] "\t" file
            }
            FNR == 1 { if (started) flush(); started = 1; delete h; inhdr = 1; file = FILENAME }
            !inhdr { next }
            /^\r?$/ { inhdr = 0; next }
            /^[ \t]/ { next }
            {
                sub(/\r$/, ""); i = index($0, ":"); if (!i) next
                k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1)
                gsub(/^[ \t]+|[ \t]+$/, "", v)
                if (k == "from" && match(v, /<[^>]*>/)) v = substr(v, RSTART, RLENGTH)
                if (k == "delivered-to" || k == "return-path" || k == "from") v = tolower(v)
                gsub(/[<>]/, "", v)
                if (!(k in h)) h[k] = v
            }
            END { if (started) flush() }'
}

# in_domain DOMAIN - the lines of a maildir_index on stdin whose Delivered-To is an address in DOMAIN.
in_domain() { awk -F'\t' -v dom="@$1" 'length($1) > length(dom) && substr($1, length($1) - length(dom) + 1) == dom'; }

# --- mail files ----------------------------------------------------------------------------------------------

# A Message-ID (without <>) no other test, run or sandbox uses.
uniq_id() {
    printf 't%s.%s.%s@e2e.supportgate.test\n' "$(date +%s%N)" "$$" "$RANDOM"
}

# mkmail [HEADER-LINE...] - write the message on stdin (a heredoc; LF line ends) to a new .eml with CRLF line ends;
# adds the HEADER-LINEs, and Message-ID/Date when the message has none; prints the file's path.
#     f=$(mkmail "X-Extra: 1" <<'EOF'
#     From: <a@example.net>
#     Subject: hi
#
#     body
#     EOF
#     )
mkmail() {
    local f msg h
    f=$(mktemp "${TMPDIR:-/tmp}/sg-e2e.XXXXXX.eml")
    msg=$(cat)
    {
        for h in "$@"; do printf '%s\n' "$h"; done
        # Only the header section (up to the first empty line) decides what is missing.
        if ! sed '/^\r\?$/q' <<< "$msg" | grep -qi '^Message-ID:'; then printf 'Message-ID: <%s>\n' "$(uniq_id)"; fi
        if ! sed '/^\r\?$/q' <<< "$msg" | grep -qi '^Date:'; then printf 'Date: %s\n' "$(date -R)"; fi
        printf '%s\n' "$msg"
    } | sed 's/\r\?$/\r/' > "$f"
    printf '%s\n' "$f"
}

# plain_mail FROM TO SUBJECT [BODY=Hello.] [HEADER-LINE...] - a short plain mail from <FROM> to <TO> (mkmail);
# prints its path.
plain_mail() {
    local from=$1 to=$2 subject=$3 body=${4:-Hello.}
    shift 3
    [ $# -eq 0 ] || shift
    mkmail "$@" <<EOF2
From: <$from>
To: <$to>
Subject: $subject

$body
EOF2
}

# mail_text FILE - the body of the single-part mail FILE with its transfer encoding undone (the gateway's own
# mail is 7-bit: quoted-printable or base64).
mail_text() {
    perl -MMIME::Base64 -MMIME::QuotedPrint -0777 -ne '
        my ($h, $b) = split /\r?\n\r?\n/, $_, 2;
        $h =~ s/\r?\n[ \t]+/ /g;
        my ($cte) = $h =~ /^Content-Transfer-Encoding:\s*(\S+)/mi;
        $b =~ s/\r\n/\n/g;
        print lc($cte // "") eq "base64" ? decode_base64($b)
            : lc($cte // "") eq "quoted-printable" ? decode_qp($b) : $b;' "$1"
}

# breaches_not_once SCHEDULE FROM TO - how many breaches stamped from FROM to before TO (Unix times) are not in
# exactly one digest of SCHEDULE.
breaches_not_once() {
    sb_sql "select count(*) from breaches b where b.at >= to_timestamp($2) and b.at < to_timestamp($3)
        and (select count(*) from digest_breaches d where d.schedule = '$1' and d.breach_id = b.id) <> 1"
}

# mail_part FILE plain|html - the text/SUBTYPE part of the mail FILE, decoded to UTF-8 (LF line ends).
mail_part() {
    python3 - "$1" "$2" <<'PY' 2> /dev/null
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
part = m.get_body(preferencelist=(sys.argv[2],))
if part is not None and part.get_content_subtype() == sys.argv[2]:
    sys.stdout.write(part.get_content().replace("\r\n", "\n"))
PY
}

# customer_time LANG T NOW - Unix time T as customer mail in LANG (en, uk, ru) writes it on the Kyiv clock
# (display_timezone): "19:02" on NOW's day, else "7 December, 19:02", "7 грудня, 19:02", "7 декабря, 19:02",
# with the year when it is not NOW's.
customer_time() {
    local -a months
    case $1 in
        uk) months=(січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня) ;;
        ru) months=(января февраля марта апреля мая июня июля августа сентября октября ноября декабря) ;;
        *) months=(January February March April May June July August September October November December) ;;
    esac
    local day year month hm
    read -r day month year hm < <(TZ=Europe/Kyiv date -d "@$2" '+%-d %-m %Y %H:%M')
    if [ "$(TZ=Europe/Kyiv date -d "@$2" +%F)" = "$(TZ=Europe/Kyiv date -d "@$3" +%F)" ]; then
        echo "$hm"
    elif [ "$year" = "$(TZ=Europe/Kyiv date -d "@$3" +%Y)" ]; then
        echo "$day ${months[month - 1]}, $hm"
    else
        echo "$day ${months[month - 1]} $year, $hm"
    fi
}

# mail_id FILE - the Message-ID of FILE without <>.
mail_id() { hdr "$1" Message-ID | tr -d '<>'; }


# hdr FILE NAME - the first NAME header of FILE (header section only), unfolded, without CR; nothing when absent.
hdr() {
    [ -n "$1" ] && [ -r "$1" ] || return 1
    # shellcheck disable=SC2016 # awk program
    awk -v want="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]'):" '
        { sub(/\r$/, "") }
        /^$/ { exit }
        found && /^[ \t]/ { val = val $0; next }
        found { exit }
        tolower(substr($0, 1, length(want))) == want { found = 1; val = substr($0, length(want) + 1) }
        END { if (found) { sub(/^[ \t]+/, "", val); sub(/[ \t]+$/, "", val); print val } }' "$1"
}

# --- file driver (used by tests/run-tests) -------------------------------------------------------------------

# A file that dies mid-case (exit, a fatal error) still reports the open case as failed.
t_file_exit() {
    local rc=$?
    if [ -n "$T_CASE" ]; then
        t_fail "the test file stopped inside this case (exit status $rc)"
        t_end
    fi
}

t_run_file() { # FILE
    T_FILE=$(basename "$1")
    trap t_file_exit EXIT
    # shellcheck disable=SC1090 # the test file is chosen at run time
    . "$1"
    if [ -n "$T_CASE" ]; then
        echo "# note: $T_FILE ended inside case '$T_CASE'; closing it"
        t_end
    fi
}
