# t_88_corpus.sh - real mail no one on the project wrote: Python's and enmime's test messages, as Debian ships them.
#
# Each message of libpython3.11-testsuite's test_email/data and of golang-github-jhillyerd-enmime-dev's testdata
# (mail from real mailers, and a low-quality set: broken boundaries and headers, unknown charsets and encodings)
# goes to support@ over SMTP with a Message-ID of its own.  It must be recorded once, with the subject and the text that Python's email package (policy.default)
# reads from it, or be refused with an SMTP code; where Python finds no text because the message is broken, the
# recorded text must be the message's own words (tests/mail/corpus says the comparison rules).

corpus_dir=/usr/lib/python3.11/test/test_email/data
enmime_dir=/usr/share/gocode/src/github.com/jhillyerd/enmime/testdata
run=$RANDOM$RANDOM
work=$(mktemp -d "${TMPDIR:-/tmp}/sg-corpus.XXXXXX")
milter_pid=$(head -n1 "$SUPPORTGATE_SANDBOX/run/milter.pid")

t_case "every message of the outside corpora is recorded once with the subject and text Python reads, or refused"
files=("$corpus_dir"/msg_*.txt)
t_assert_true [ "${#files[@]}" -ge 40 ] "Python's corpus is installed (libpython3.11-testsuite): ${#files[@]} messages"
enmime=("$enmime_dir"/mail/*.raw "$enmime_dir"/low-quality/*.raw)
t_assert_true [ "${#enmime[@]}" -ge 40 ] "enmime's is installed (golang-github-jhillyerd-enmime-dev): ${#enmime[@]} messages"
files+=("${enmime[@]}")
sent=0 refused=0 tempfailed=0
while IFS=$'\t' read -r f mid; do
    sent=$((sent + 1))
    if ! out=$(sb send --from "corpus$sent.$run@example.net" "$f" 2>&1); then
        if [[ $out =~ (^|[^0-9])4[0-9][0-9][\ -] ]]; then
            tempfailed=$((tempfailed + 1))
        else
            refused=$((refused + 1))
        fi
        # A refusal is allowed only with a code and a reason the sender can read.
        t_assert_match '[45][0-9][0-9][ -][245]\.[0-9]+\.[0-9]+ [A-Za-z]' "$out" "$(basename "$f"): refused with an SMTP code"
    fi
done < <("$SG_SRCDIR/tests/mail/corpus" prepare "$work" "$run" "${files[@]}")
recorded=$(sb_sql "select count(distinct message_id) from messages where message_id like 'c%.$run@corpus.test'")
doubled=$(sb_sql "select count(*) - count(distinct message_id) from messages where message_id like 'c%.$run@corpus.test'")
t_assert_eq "$sent" "$((recorded + refused + tempfailed))" "every message recorded or refused"
t_assert_eq 0 "$tempfailed" "none tempfailed"
t_assert_eq 0 "$doubled" "none recorded twice"
verdicts=$(sb_sql "select coalesce(json_object_agg(message_id, json_build_object('subject', subject, 'text', body)), '{}')
    from messages where message_id like 'c%.$run@corpus.test'" | "$SG_SRCDIR/tests/mail/corpus" check "$work")
printf '%s\n' "$verdicts" | grep -v '^ok ' | sed 's/^/#   /'
# A message refused cleanly is not recorded, which is allowed; every recorded one must read right.
t_assert_eq "$recorded" "$(printf '%s\n' "$verdicts" | grep -c '^ok ')" \
    "every recorded message has the subject and text Python reads (or, when broken, its own words)"
t_assert_eq "$((refused + tempfailed))" "$(printf '%s\n' "$verdicts" | grep -c ': not recorded$' || true)" \
    "and the messages not recorded are exactly those refused"
t_assert_eq "$milter_pid" "$(head -n1 "$SUPPORTGATE_SANDBOX/run/milter.pid")" "the milter served the corpus: the same PID"
t_assert_true kill -0 "$milter_pid" "and it still runs"
t_figure "outside corpora: Python's and enmime's test messages" "$sent" "$recorded" - "$doubled" \
    "$((sent - recorded - refused - tempfailed))" "$(t_verdict)"
t_end
rm -rf "$work"
# The corpus opened tickets whose clocks would keep the scheduler busy for the files after this one.
sb_sql "update tickets set status = 'closed' where status <> 'closed'" > /dev/null
