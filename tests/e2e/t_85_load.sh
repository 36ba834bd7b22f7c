# t_85_load.sh - load: many concurrent SMTP sessions, new tickets and replies; each recorded once, each ack delivered, milter memory flat.
#
# CI runs a bounded size; SG_LONG=1 (contrib/sandbox test --long) the full one: 200 sessions, 5,000 mails.
# Two waves through the same sessions: wave A opens tickets (and warms the milter up), wave B mixes the customers'
# replies to their acknowledgements with tickets from new customers.  Every customer opens one ticket, so the
# per-sender acknowledgement limit never decides anything here: every new ticket must be acknowledged exactly once.

run=$RANDOM$RANDOM
dom=l$run.example.net
if [ "${SG_LONG:-0}" = 1 ]; then
    sessions=200 total=5000
else
    sessions=50 total=1000
fi
n_a=$((total * 2 / 5))              # wave A: new tickets from customers a1..
n_r=$n_a                            # wave B: one reply per wave A ticket
n_b=$((total - n_a - n_r))          # wave B: new tickets from customers b1..
n_c=$((n_r + n_b))                  # wave C: new tickets from customers c.., for the memory check alone
# Growth of the milter's resident memory allowed per 1,000 mails between the end of wave B and the end of wave C:
# a leak of 2 kB per mail fails it.  Waves A and B warm the process up: glibc's per-thread arenas and the cached
# stacks of libmilter's threads reach their size over the first waves (wave A to B has measured 1.3 MB for
# 600 mails), so only growth that continues over a third wave is a leak (about 0.1 MB per 1,000 mails seen here).
rss_bound_kb=2048

# --- what the customers received --------------------------------------------------------------------------------

# load_index - one line per copy delivered to this run's customers (maildir_index in lib.sh):
# DELIVERED-TO <TAB> MESSAGE-ID <TAB> X-SUPPORTGATE-TICKET <TAB> IN-REPLY-TO.
load_index() { maildir_index "$SUPPORTGATE_SANDBOX/mail/all" | in_domain "$dom" | awk -F'\t' -v OFS='\t' '{ print $1, $2, $6, $3 }'; }
load_copies() { load_index | grep -c .; }

# wait_acks COUNT TIMEOUT - poll until COUNT copies were delivered to the run's customers; prints the index.
wait_acks() {
    wait_until "$2" at_least "$1" load_copies ||
        echo "# wait_acks: $(load_copies) of $1 acknowledgements delivered after $2 s" >&2
    load_index
}

# new_tickets_spool LETTER COUNT SUBJECT TEXT - a t_blast spool of COUNT first mails from customers LETTER1..LETTERn
# of the run's domain; SUBJECT gets the customer's number appended, TEXT (awk escapes allowed) the mailbox for %s.
new_tickets_spool() {
    awk -v run="$run" -v dom="$dom" -v l="$1" -v n="$2" -v subj="$3" -v text="$4" -v date="$(date -R)" 'BEGIN {
        for (i = 1; i <= n; i++) {
            who = l i "@" dom
            printf "\001 %s support@introserv.com\n", who
            printf "From: Customer %s%d <%s>\nTo: support@introserv.com\nSubject: %s %d\n", toupper(l), i, who, subj, i
            printf "Message-ID: <l%s.%s%d@load.test>\nDate: %s\n\n", run, l, i, date
            printf text "\n", l i
        }
    }'
}

# --- the milter under test --------------------------------------------------------------------------------------

milter_pid() { head -n1 "$SUPPORTGATE_SANDBOX/run/milter.pid" 2> /dev/null; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2> /dev/null; }

# restart_milter BUILDDIR - the sandbox's milter again, from BUILDDIR's binary (sandbox 'up' starts what is missing).
restart_milter() {
    local pid
    pid=$(milter_pid)
    [ -z "$pid" ] || t_stop "$pid" "" 2
    SG_BUILDDIR=$1 sb up > "${TMPDIR:-/tmp}/t85-up.log" 2>&1 || { sed 's/^/#   /' "${TMPDIR:-/tmp}/t85-up.log"; return 1; }
}

# AddressSanitizer keeps freed memory in a quarantine of up to 256 MB and per-thread caches that grow with
# libmilter's thread per connection: the resident size of an instrumented milter says nothing about leaks.  The
# memory check needs an uninstrumented binary: the plain build CI makes next to the sanitizer one.
mem_build=""
if [ -n "${SG_PLAIN_BUILDDIR:-}" ]; then
    mem_build=$SG_PLAIN_BUILDDIR
elif ! is_asan "$SG_BUILDDIR/supportgate-milter"; then
    mem_build=$SG_BUILDDIR
fi

t_case "the public listener may run an smtpd for each of the $sessions sessions at once"
# Fewer processes than sessions would queue the rest in the listen backlog: fewer concurrent sessions than claimed.
maxproc=$(postconf -c "$SUPPORTGATE_SANDBOX/postfix" -M "127.0.0.1:$SUPPORTGATE_SMTP_PORT/inet" | awk '{ print $7 }')
[ "$maxproc" = - ] && maxproc=$(postconf -c "$SUPPORTGATE_SANDBOX/postfix" -h default_process_limit)
t_assert_match '^[0-9]+$' "$maxproc" "the listener's process limit"
t_assert_true [ "${maxproc:-0}" -ge "$sessions" ] "process limit $maxproc covers $sessions sessions"
t_end

# --- wave A: new tickets, which also warm the milter up ---------------------------------------------------------

t_case "load wave A: $n_a new tickets over $sessions concurrent sessions, each recorded and acknowledged once"
swapped=0
if [ -n "$mem_build" ] && [ "$mem_build" != "$SG_BUILDDIR" ]; then
    if [ -x "$mem_build/supportgate-milter" ] && restart_milter "$mem_build"; then
        swapped=1
    else
        t_fail "cannot run the sandbox's milter from the uninstrumented build $mem_build (SG_PLAIN_BUILDDIR)"
    fi
fi
spool_a=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
# A leading dot must survive the SMTP transparency rule.
new_tickets_spool a "$n_a" "Load test" "Server %s answers slowly since this morning.\n.profile was not touched." > "$spool_a"
t_blast "wave A" "$sessions" "$spool_a" "$n_a"
t_assert_eq "$n_a" "$(sb_sql "select count(*) from messages where message_id like 'l$run.a%@load.test'")" \
    "every mail recorded once"
t_assert_eq "$n_a" "$(sb_sql "select count(*) from tickets where requester like '%@$dom'")" "one ticket each"
# At least the expected number: a surplus must fail the counts below, not run the wait into its deadline.
wait_sql "select count(*) >= $n_a from outbox where kind = 'ack' and rcpt like '%@$dom' and sent_at is not null" t 600 > /dev/null
idx_a=$(wait_acks "$n_a" 300)
t_assert_eq "$n_a" "$(printf '%s' "$idx_a" | grep -c .)" "acknowledgements delivered"
t_assert_eq "$n_a" "$(printf '%s' "$idx_a" | cut -f1 | sort -u | grep -c .)" "each customer has one"
# The ack answers the customer's own mail: In-Reply-To names it, X-Supportgate-Ticket the ticket it opened.
t_assert_eq 0 "$(printf '%s\n' "$idx_a" | awk -F'\t' -v run="$run" '
    { split($1, p, "@"); if ($4 != "l" run "." p[1] "@load.test" || $3 !~ /^[0-9]+$/) bad++ } END { print bad + 0 }')" \
    "acks answering another mail or naming no ticket"
pid=$(milter_pid)
rss_warm=$(rss_kb "$pid")
echo "# milter pid $pid ($(readlink "/proc/$pid/exe")), VmRSS after wave A: ${rss_warm:-?} kB"
t_figure "load A: $sessions sessions, new tickets" "$n_a" \
    "$(sb_sql "select count(*) from messages where message_id like 'l$run.a%@load.test'")" \
    "$(printf '%s' "$idx_a" | grep -c .)" "$(($(printf '%s' "$idx_a" | grep -c .) - $(printf '%s' "$idx_a" | cut -f2 | sort -u | grep -c .)))" \
    "$((n_a - $(sb_sql "select count(*) from messages where message_id like 'l$run.a%@load.test'")))" \
    "$(t_verdict)"
t_end

# --- wave B: replies to the acknowledgements, mixed with new customers' tickets ---------------------------------

t_case "load wave B: $n_r replies and $n_b new tickets mixed over $sessions sessions; replies join their tickets, no new acks"
# Reply styles in turn: the subject tag only; In-Reply-To/References of the ack only; both.  Each reply's
# Message-ID carries the ticket it must join (".tN@"), so the database alone can say whether it landed right.
spool_b=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
printf '%s\n' "$idx_a" | awk -F'\t' -v run="$run" -v dom="$dom" -v nb="$n_b" -v date="$(date -R)" '
    function reply(line,   f, who, k, style) {
        split(line, f, "\t")
        split(f[1], who, "@"); k = substr(who[1], 2)
        style = k % 3
        printf "\001 %s support@introserv.com\n", f[1]
        printf "From: Customer A%d <%s>\nTo: support@introserv.com\n", k, f[1]
        if (style == 1) printf "Subject: Re: Load test %d\n", k
        else printf "Subject: Re: [INTROSERV #%s] Load test %d\n", f[3], k
        if (style != 0) printf "In-Reply-To: <%s>\nReferences: <l%s.a%d@load.test> <%s>\n", f[2], run, k, f[2]
        printf "Message-ID: <l%s.r%d.t%s@load.test>\nDate: %s\n\nStill slow, see the graphs.\n\n> quoted ack\n", run, k, f[3], date
    }
    function fresh(i,   b) {
        b = "b" i "@" dom
        printf "\001 %s support@introserv.com\n", b
        printf "From: Customer B%d <%s>\nTo: support@introserv.com\nSubject: Load test B %d\n", i, b, i
        printf "Message-ID: <l%s.b%d@load.test>\nDate: %s\n\nPlease reset the password of account b%d.\n", run, i, date, i
    }
    NF >= 3 { r[++nr] = $0 }
    END {
        # Interleave: every session sees both kinds, new customers spread evenly over the wave.
        j = 0
        for (i = 1; i <= nr; i++) {
            reply(r[i])
            while (j < nb && (j + 1) * nr <= i * nb) fresh(++j)
        }
        while (j < nb) fresh(++j)
    }' > "$spool_b"
t_assert_eq "$((n_r + n_b))" "$(grep -c $'^\x01 ' "$spool_b")" "wave B spool holds every reply and new ticket"
t_blast "wave B" "$sessions" "$spool_b" "$((n_r + n_b))"
recorded=$(sb_sql "select count(*) from messages where message_id like 'l$run.%@load.test'")
t_assert_eq "$total" "$recorded" "messages recorded, both waves"
t_assert_eq "$((n_a + n_b))" "$(sb_sql "select count(*) from tickets where requester like '%@$dom'")" \
    "tickets: replies opened none"
t_assert_eq "$n_r 0" "$(sb_sql "select count(*) || ' ' || count(*) filter (where ticket_id::text <> substring(message_id from '\.t([0-9]+)@'))
    from messages where message_id like 'l$run.r%@load.test'")" "replies recorded, of which on the wrong ticket"
t_assert_eq 0 "$(sb_sql "select count(*) from tickets t where requester like '%@$dom'
    and (select count(*) from messages m where m.ticket_id = t.id and m.direction = 'in') <> case when requester like 'a%' then 2 else 1 end")" \
    "tickets whose customer messages are not exactly their own"
wait_sql "select count(*) >= $((n_a + n_b)) from outbox where kind = 'ack' and rcpt like '%@$dom' and sent_at is not null" t 600 > /dev/null
idx=$(wait_acks "$((n_a + n_b))" 300)
# Give a duplicate that is still on its way a moment to show up before counting.
sleep 2
idx=$(load_index)
acked=$(printf '%s' "$idx" | grep -c .)
dups=$((acked - $(printf '%s' "$idx" | cut -f2 | sort -u | grep -c .)))
t_assert_eq "$((n_a + n_b))" "$(sb_sql "select count(*) from outbox where kind = 'ack' and rcpt like '%@$dom'")" \
    "acknowledgements queued: one per new ticket, none for a reply"
t_assert_eq "$((n_a + n_b))" "$acked" "acknowledgements delivered"
t_assert_eq "$((n_a + n_b))" "$(printf '%s' "$idx" | cut -f1 | sort -u | grep -c .)" "customers with exactly one each (distinct recipients)"
t_assert_eq 0 "$dups" "duplicate deliveries"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where rcpt like '%@$dom' and (sent_at is null or failed_at is not null)")" \
    "outbox rows of the run not sent"
# Spot check through the sandbox's own view of the Maildir: one customer of each wave.
t_assert_eq 1 "$(sb mail "a1@$dom" | grep -c .)" "sandbox mail a1@$dom"
t_assert_eq 1 "$(sb mail "b1@$dom" | grep -c .)" "sandbox mail b1@$dom"
lost=$((total - recorded + (n_a + n_b) - $(printf '%s' "$idx" | cut -f2 | sort -u | grep -c .)))
t_figure "load B: $sessions sessions, $n_r replies + $n_b new" "$((n_r + n_b))" "$((recorded - n_a))" \
    "$((acked - n_a))" "$dups" "$lost" "$(t_verdict)"
t_end

# --- memory ------------------------------------------------------------------------------------------------------

t_case "milter memory stays flat under load (VmRSS growth over wave C below $rss_bound_kb kB per 1,000 mails)"
pid_mid=$(milter_pid)
rss_mid=$(rss_kb "$pid_mid")
spool_c=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
new_tickets_spool c "$n_c" "Load test C" "The backup of %s did not run tonight." > "$spool_c"
t_blast "wave C" "$sessions" "$spool_c" "$n_c"
t_assert_eq "$n_c" "$(sb_sql "select count(*) from messages where message_id like 'l$run.c%@load.test'")" \
    "wave C: every mail recorded once"
# The acknowledgements go out before the sample, so the milter has served the whole wave when it is measured.
wait_sql "select count(*) >= $((n_a + n_b + n_c)) from outbox where kind = 'ack' and rcpt like '%@$dom' and sent_at is not null" t 600 > /dev/null
pid_end=$(milter_pid)
rss_end=$(rss_kb "$pid_end")
echo "# milter VmRSS: ${rss_warm:-?} kB after wave A, ${rss_mid:-?} kB after wave B ($((n_r + n_b)) mails)," \
    "${rss_end:-?} kB after wave C ($n_c mails)"
if [ -z "$mem_build" ]; then
    # Only outside CI: contrib/sandbox test always provides the plain build.
    echo "# SKIPPED: the sandbox's milter is instrumented and SG_PLAIN_BUILDDIR is unset: its resident size measures"
    echo "#          AddressSanitizer's quarantine, not the milter (contrib/sandbox test sets SG_PLAIN_BUILDDIR)"
    t_figure "load: milter VmRSS (skipped: instrumented build)" "$n_c" - - - - skipped
else
    t_assert_eq "$pid" "$pid_end" "the same milter process served all three waves (it did not restart)"
    t_assert_match '^[0-9]+$' "${rss_mid:-}${rss_end:-}" "VmRSS readable"
    growth=$(( ${rss_end:-0} - ${rss_mid:-0} ))
    per_1000=$((growth * 1000 / n_c))
    echo "# growth over wave C $growth kB = $per_1000 kB per 1,000 mails (bound $rss_bound_kb);" \
        "over wave B $(( ${rss_mid:-0} - ${rss_warm:-0} )) kB"
    t_assert_true [ "$per_1000" -lt "$rss_bound_kb" ] "milter VmRSS grew $per_1000 kB per 1,000 mails (bound $rss_bound_kb)"
    t_figure "load: milter VmRSS ${rss_mid}->${rss_end} kB" "$n_c" - - - - \
        "$(t_verdict)"
fi
t_end

# --- leave the sandbox as the next file expects it -----------------------------------------------------------

t_case "after the load the sandbox runs its own milter again and its mail queue is empty"
if [ "$swapped" = 1 ]; then
    t_assert_true restart_milter "$SG_BUILDDIR" "sandbox up with the milter of $SG_BUILDDIR"
fi
t_assert_eq "$(readlink -f "$SG_BUILDDIR/supportgate-milter")" "$(readlink "/proc/$(milter_pid)/exe" 2> /dev/null)" \
    "the milter runs the suite's build again"
t_assert_true sb status "every part of the sandbox runs"
t_assert_queue_empty 300 "Postfix queue flushed"
t_end
rm -f "$spool_a" "$spool_b" "$spool_c"
# Hundreds of load tickets stay open: closed now, their first-response breaches cannot keep the scheduler busy
# with notices through the rest of the suite (the load's own assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" > /dev/null
