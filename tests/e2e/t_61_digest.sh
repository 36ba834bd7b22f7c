# t_61_digest.sh - the management digest as managers read it: over a weekend gap, in working time, rendered by Chromium.
#
# Tickets are written straight into the database with their clocks on a chosen Friday and Monday, and the scheduler
# runs with --once --now T; nothing runs over the weekend, as when the desk's server was off.  Times of day are
# local to Europe/Amsterdam (billing works Mon-Fri 09:00-18:00 there) and converted by date(1).

run=$RANDOM$RANDOM
ams() { TZ=Europe/Amsterdam date -d "$1" +%s; }
ams_day() { TZ=Europe/Amsterdam date -d "@$1" +%F; }
boss=boss61.$run@introserv.com
sb cli manager add "$boss" --name "Digest Reader" >/dev/null
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null

# ticket TEAM CREATED DUE_FIRST_RESPONSE SUBJECT [ANSWERED [ID]] - an acknowledged ticket (its ack due 2 min after
# it came, met); its first response answered at ANSWERED (Unix time; empty: never); prints its id.
ticket() { # TEAM CREATED DUE SUBJECT [ANSWERED [ID]]
    local answered=${5:+to_timestamp($5)} id=${6:+$6,}
    sb_sql "insert into tickets (${6:+id,} status, channel, team, requester, subject, created_at, acked_at, due_ack,
        due_first_response, first_response_at) values ($id 'open', 'email', '$1', 'digest.$run@example.net', '$4',
        to_timestamp($2), to_timestamp($2 + 60), to_timestamp($2 + 120), to_timestamp($3), ${answered:-NULL}) returning id"
}
# The manager's digest whose first line names the period FROM..TO and N breaches.
digest_mail() { # FROM TO N
    mail_matching "$boss" "^SLA breaches from $(kyiv "$1") to $(kyiv "$2") \\(Europe/Kyiv\\): $3 "
}
# The schedules whose digests took the breaches of TICKET, one word per digest.
taken_by() { sb_sql "select coalesce(string_agg(d.schedule, ' ' order by d.schedule), '') from digest_breaches d
    join breaches b on b.id = d.breach_id where b.ticket_id = $1"; }
# The display column where WORD starts on the line of TEXT that contains MARK.
column_of() { awk -v mark="$2" -v word="$3" 'index($0, mark) { print index($0, word); exit }' <<< "$1"; }
digest_rows() { sb_sql "select count(*) from outbox where kind = 'internal' and ticket_id is null
    and encode(data, 'escape') ~ '(^|\n)Message-I[Dd]: <sg[.]digest[.]'"; }

# A Friday after every digest and breach so far (digests only move forward), and the Monday after it.
base=$(sb_sql "select extract(epoch from greatest(now(), (select max(period_end) from digests),
    (select max(at) from breaches)))::bigint")
fri=$(date -d "$(ams_day "$base") + 1 day" +%F)
until [ "$(date -d "$fri" +%u)" = 5 ]; do fri=$(date -d "$fri + 1 day" +%F); done
mon=$(date -d "$fri + 3 days" +%F)
F16=$(ams "$fri 16:00") F1750=$(ams "$fri 17:50") F18=$(ams "$fri 18:00")
M8=$(ams "$mon 08:00") M10=$(ams "$mon 10:00") M11=$(ams "$mon 11:00") M12=$(ams "$mon 12:00") M13=$(ams "$mon 13:00")
M14=$(ams "$mon 14:00")

t_case "a weekend gap: one hourly digest covers Friday 18:00 to Monday 10:00, each breach once per schedule"
pass_at $((F16 + 300))   # the digests are made up to Friday 16:00
t=$(ticket billing "$F1750" "$F18" "Weekend invoice $run")
pass_at $((F18 + 300))   # Friday 18:05: the first response is missed
t_assert_eq first_response "$(sb_sql "select string_agg(sla, ' ') from breaches where ticket_id = $t")" "the breach is recorded"
pass_at $((M10 + 120))   # nothing ran over the weekend; Monday 10:02
t_assert_eq "$F18" "$(sb_sql "select extract(epoch from period_start)::bigint from digests where schedule = 'hourly'
    and period_end = to_timestamp($M10)")" "the hourly digest made on Monday begins where Friday's last one ended"
t_assert_eq "daily hourly" "$(taken_by "$t")" "the breach is in one hourly and one daily digest"
t_assert_eq 0 "$(breaches_not_once hourly "$F16" "$M10")" \
    "every breach of those days is in exactly one hourly digest"
t_assert_eq 0 "$(breaches_not_once daily "$F16" "$M8")" \
    "and in exactly one daily digest"
t_end

t_case "lateness in the team's working time: due Friday 18:00, still open on Monday 10:00 is 1 h late for billing, not 64 h"
d=$(digest_mail "$F18" "$M10" 1)
body=$(mail_part "$d" plain)
t_assert_match "\\[INTROSERV #$t\\] +first_response +billing department +open +1 h +Weekend invoice $run" "$body" \
    "the worst ticket with its owner, status and working-time lateness"
t_assert_no_match "64 h|3840 min|min late" "$body" "never the wall-clock time"
t_assert_match $'\n  first_response +0 +1 +0\\.0%' "$body" "attainment: the one first response due in the gap was missed"
html=$(mail_part "$d" html)
t_assert_match "#$t\\]</td>.*>1 h</td>" "$html" "the HTML part says the same"
t_assert_no_match "border=\"?1|<script|<link|src=|https?:" "$html" "no border=1, script or external resource"
t_assert_match "\\[INTROSERV #$t\\] +first_response +billing department +open +0 min" \
    "$(mail_part "$(mail_matching "$boss" "^SLA breaches from .* to $(kyiv "$M8") \\(Europe/Kyiv\\)")" plain)" \
    "the daily digest to Monday 08:00, before billing's shift: no working time late yet"
t_end

t_case "attainment per SLA against the previous period, a bar per team, columns aligned for short and long ids"
tA=$(ticket support $((M10 + 60)) $((M10 + 660)) "Answered in time $run" $((M10 + 300)))
tB=$(ticket support $((M10 + 300)) $((M10 + 900)) "Long id $run" "" $((9000000 + RANDOM)))
tC=$(ticket support $((M10 + 2700)) $((M10 + 3300)) "Short id $run")
pass_at $((M10 + 3480))   # 10:58: both first responses missed
pass_at $((M11 + 300))
d=$(digest_mail "$M10" "$M11" 2)
body=$(mail_part "$d" plain)
t_assert_match $'\n  ack +3 +0 +100\\.0% +no previous figure\n' "$body" "the three acknowledgements met; none was due before"
t_assert_match $'\n  first_response +1 +2 +33\\.3% +up from 0\\.0%\n' "$body" "one of three first responses met, up from none of one"
t_assert_match $'\n  support engineers +4 +2 +66\\.7% +\\[#############\\.\\.\\.\\.\\.\\.\\.\\]' "$body" "a bar for the team"
t_assert_match "#$tB\\] +first_response +support engineers +open +45 min +Long id $run.*#$tC\\] +first_response +support engineers +open +5 min +Short id $run" \
    "$body" "the worst first, in hours and minutes"
t_assert_true [ "${#tB}" -ge 7 ] "one ticket id has seven digits"
t_assert_eq "$(column_of "$body" "#$tB]" first_response)" "$(column_of "$body" "#$tC]" first_response)" \
    "its SLA column starts where the short id's does"
t_assert_eq "$(column_of "$body" "#$tB]" "45 min")" "$(column_of "$body" "#$tC]" " 5 min")" \
    "the lateness is right-aligned across both"
html=$(mail_part "$d" html)
t_assert_match "width:67%;height:14px;background:#2e7d32;.*width:33%;height:14px;background:#c62828;" "$html" \
    "the HTML bar: two thirds met, one third breached"
t_assert_match "&#9650;</span> up from 0\\.0%" "$html" "the direction as an arrow and words"
t_assert_eq "daily hourly" "$(taken_by "$t")" "the next hour's digest does not take the weekend's breach again"
t_assert_eq 0 "$(breaches_not_once hourly "$F16" "$M11")" \
    "every breach up to Monday 11:00 is in exactly one hourly digest"
t_end

t_case "the rendered digest, looked at: Chromium's DOM and a screenshot with the bar colours"
out=$(mktemp -d)
t_assert_true sb digest --png "$out/digest.png" --dom "$out/digest.dom" --html "$out/digest.html" \
    "contrib/sandbox digest renders the latest digest"
dom=$(cat "$out/digest.dom" 2>/dev/null)
t_assert_match "Attainment by SLA.*By team.*Worst tickets" "$dom" "the sections in order"
t_assert_match "\\[INTROSERV #$tB\\]" "$dom" "the latest digest (this hour's)"
t_assert_true [ "$(grep -o '<table' <<< "$dom" | wc -l)" -ge 5 ] "laid out with tables"
t_assert_no_match "<script|<link|<img|border=\"1\"" "$dom" "no script, no external resource, no border=1"
read -r w h green red < <(python3 - "$out/digest.png" <<'PY'
# The PNG's size and how many pixels have the bars' colours (standard library only).
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG format"
bpp = 3 if ctype == 2 else 4
raw, stride, prev, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
counts = [0, 0]
targets = [(0x2e, 0x7d, 0x32), (0xc6, 0x28, 0x28)]
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        for k, (r, g, bl) in enumerate(targets):
            if abs(line[x] - r) <= 8 and abs(line[x + 1] - g) <= 8 and abs(line[x + 2] - bl) <= 8:
                counts[k] += 1
    prev = line
print(w, h, counts[0], counts[1])
PY
)
t_assert_eq "800 1000" "$w $h" "the screenshot is 800 x 1000"
t_assert_true [ "${green:-0}" -ge 1000 ] "the bar's green is on screen ($green pixels)"
t_assert_true [ "${red:-0}" -ge 500 ] "and its red ($red pixels)"
t_assert_true [ $((green * 10 / (red + 1))) -ge 15 ] "green about twice red, as two thirds met to one third breached"
t_assert_true [ $((green * 10 / (red + 1))) -le 26 ] "not more"
rm -rf "$out"
t_end

t_case "digest_skip_empty = yes: an empty hour sends nothing but is still covered; the next digest starts after it"
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
cp -p "$conf" "$conf.t61"
echo "digest_skip_empty = yes" >> "$conf"
sb_sql "update tickets set status = 'closed' where id in ($t, $tA, $tB, $tC)" >/dev/null
n=$(digest_rows)
pass_at $((M12 + 300))
t_assert_eq "$M11 0" "$(sb_sql "select extract(epoch from period_start)::bigint || ' ' || breaches from digests
    where schedule = 'hourly' and period_end = to_timestamp($M12)")" "the empty hour is claimed"
t_assert_eq "$n" "$(digest_rows)" "and no digest is queued for it"
tD=$(ticket support $((M12 + 60)) $((M12 + 660)) "After the empty hour $run")
pass_at $((M12 + 1200))
pass_at $((M13 + 300))
body=$(mail_part "$(digest_mail "$M12" "$M13" 1)" plain)
t_assert_match "^SLA breaches from $(kyiv "$M12") to $(kyiv "$M13") .*: 1 \\(previous period: 0\\)" "$body" \
    "the next digest begins where the empty one ended"
t_assert_match "#$tD\\] +first_response +support engineers +open +49 min" "$body" "and reports its breach"
t_end

t_case "an hour without breaches but with an overload episode is sent, with a line on the episode"
sb_sql "update tickets set status = 'closed' where id = $tD" >/dev/null
ep=$(sb_sql "insert into overload_episodes (started_at, ended_at, backlog, oldest_wait_s, peak_backlog)
    values (to_timestamp($M13 + 600), to_timestamp($M13 + 1800), 25, 2400, 31) returning id")
pass_at $((M14 + 300))
body=$(mail_part "$(digest_mail "$M13" "$M14" 0)" plain)
t_assert_match $'\n\nNo SLA breaches in this period.\n' "$body" "no breach"
t_assert_match "Overload: 1 episode\\(s\\) in the period; largest backlog 31 tickets, longest wait at an episode's start 40 min\\." "$body" \
    "but the overload episode, so it is sent although digest_skip_empty is on"
sb_sql "delete from overload_episodes where id = $ep" >/dev/null
cp -p "$conf.t61" "$conf" && rm -f "$conf.t61"
t_end
