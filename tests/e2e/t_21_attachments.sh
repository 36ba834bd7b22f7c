# t_21_attachments.sh - files travel: the customer's reach the teams and stay on the ticket, the agent's reach the customer.
#
# The files and mails come from tests/mail/make-attachments (made from fixed seeds): a PNG shown inline by cid:, a
# PDF, a text file with a Ukrainian RFC 2231 name and an Outlook winmail.dat packing two more files (and Russian names in
# koi8-r and windows-1251, as old mailers write them).  Each file is
# compared by SHA-256 as Python's email package decodes it from the delivered copies, and as the command line
# hands it back.

run=$RANDOM$RANDOM
work=$SUPPORTGATE_SANDBOX/t21.$run
cust=olena21.$run@example.net agent=bill21.$run@introserv.com
sb cli agent add "$agent" --name "Oksana" --team billing >/dev/null
conf=$SUPPORTGATE_SANDBOX/supportgate.conf

# files_of MAIL - "name<TAB>sha256" of each named part of the delivered MAIL, decoded, in order.
files_of() {
    python3 - "$1" <<'PY'
import email
import hashlib
import sys
from email import policy
with open(sys.argv[1], "rb") as f:
    m = email.message_from_binary_file(f, policy=policy.default)
for part in m.walk():
    name = part.get_filename()
    if name and not part.is_multipart():
        print("%s\t%s" % (name, hashlib.sha256(part.get_payload(decode=True) or b"").hexdigest()))
PY
}
# cid_shown MAIL - "ok" when MAIL's HTML part shows, by cid:, an image part of MAIL with that Content-ID.
cid_shown() {
    python3 -c 'import email, re, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
html = m.get_body(preferencelist=("html",)).get_content()
ids = {(p["Content-ID"] or "").strip("<>") for p in m.walk() if p.get_content_maintype() == "image"}
refs = re.findall(r"cid:([^\"\x27>]+)", html)
print("ok" if refs and all(r in ids for r in refs) else "refs %s, images %s" % (refs, sorted(ids)))' "$1"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
# with_id FILE MESSAGE-ID - a copy of the mail FILE under another Message-ID; prints the copy's path.
with_id() { sed "s/^Message-ID: .*/Message-ID: <$2>\r/" "$1" > "$1.$2"; echo "$1.$2"; }
expected() { cut -f1,2 "$work/expected.tsv"; } # name<TAB>sha256 of the files a ticket holds from the customer
# attachment_id TICKET NAME - the id `ticket attachments --json` gives the file NAME.
attachment_id() { sb cli ticket attachments "$1" --json | jq -r --arg n "$2" '[.[] | select(.filename == $n) | .id][0]'; }

t_case "a customer's PNG (inline, cid:), PDF, Ukrainian-named file and winmail.dat reach the first line and the owning team byte for byte"
tests_mail=$SG_SRCDIR/tests/mail
"$tests_mail/make-attachments" "$work" "$cust" "$agent" 0
sb send "$work/customer.eml" >/dev/null
t=$(wait_sql "select ticket_id from messages where sender = '$cust'" '' 20)
t_assert_match '^[0-9]+$' "$t" "the mail opened a ticket"
t_assert_eq billing "$(sb_sql "select team from tickets where id = $t")" "the invoice question belongs to billing"
for box in billing@introserv.com support-team@introserv.com; do
    copy=$(mail_matching "$box" "$cust") || copy=""
    t_assert_ne "" "$copy" "$box received the customer's mail"
    [ -n "$copy" ] || continue
    got=$(files_of "$copy")
    for f in screenshot.png invoice-2026-117.pdf "звіт сервера.txt"; do
        t_assert_eq "$f	$(sha "$work/files/$f")" "$(grep -F "$f	" <<<"$got")" "$box: $f byte for byte, under its name"
    done
    t_assert_eq "winmail.dat	$(sha "$work/winmail.dat")" "$(grep -F "winmail.dat	" <<<"$got")" "$box: winmail.dat as sent"
    t_assert_eq ok "$(cid_shown "$copy")" "$box: the HTML still shows the image by cid:"
done
t_end

t_case "Russian file names in legacy charsets (RFC 2231 in koi8-r, RFC 2047 in windows-1251) are kept readable, the bytes intact"
ru=ivan21.$run@example.net
python3 - "$work/ru.eml" "$ru" <<'PY'
import base64
import sys
import urllib.parse
from email.utils import make_msgid, formatdate
# Written by hand: Python's own policies would re-encode the names in UTF-8, as old mailers do not.
koi8 = urllib.parse.quote("счёт.txt".encode("koi8-r"), safe=".")
word = "=?windows-1251?B?%s?=" % base64.b64encode("акт сверки.pdf".encode("cp1251")).decode()
mail = f"""From: =?utf-8?B?{base64.b64encode("Иван Петров".encode()).decode()}?= <{sys.argv[2]}>
To: support@introserv.com
Subject: =?koi8-r?B?{base64.b64encode("Акт сверки и счёт".encode("koi8-r")).decode()}?=
Message-ID: {make_msgid(domain="example.net")}
Date: {formatdate(localtime=True)}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b21"

--b21
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: base64

{base64.b64encode("Добрый день, прилагаю счёт и акт сверки.".encode("koi8-r")).decode()}
--b21
Content-Type: text/plain; name*=koi8-r''{koi8}
Content-Disposition: attachment; filename*=koi8-r''{koi8}
Content-Transfer-Encoding: base64

{base64.b64encode(b"invoice 117: 20 EUR").decode()}
--b21
Content-Type: application/pdf; name="{word}"
Content-Disposition: attachment; filename="{word}"
Content-Transfer-Encoding: base64

{base64.b64encode(b"%PDF-1.4 act").decode()}
--b21--
"""
open(sys.argv[1], "wb").write(mail.replace("\n", "\r\n").encode("ascii"))
PY
t_assert_match 'filename\*=koi8-r' "$(cat "$work/ru.eml")" "the mail carries the koi8-r RFC 2231 name"
t_assert_match '=\?windows-1251\?' "$(cat "$work/ru.eml")" "and the windows-1251 RFC 2047 one"
sb send "$work/ru.eml" >/dev/null
tr=$(wait_sql "select ticket_id from messages where sender = '$ru'" '' 20)
t_assert_match '^[0-9]+$' "$tr" "the mail opened a ticket"
listed=$(sb cli ticket attachments "$tr" --json)
t_assert_eq "акт сверки.pdf|счёт.txt" "$(jq -r '[.[].filename] | sort | join("|")' <<<"$listed")" "both names read as the customer wrote them"
t_assert_eq "invoice 117: 20 EUR" "$(sb cli ticket attachment get "$tr" "$(attachment_id "$tr" "счёт.txt")")" "the koi8-r-named file's bytes"
t_assert_eq "$(jq -c '[.[] | {id, filename, content_type, size, sha256}] | sort_by(.id)' <<<"$listed")" \
    "$(sb cli ticket show "$tr" --json | jq -c '[.attachments[] | {id, filename, content_type, size, sha256}] | sort_by(.id)')" \
    "ticket show --json lists them with the same id, filename, content_type, size and sha256"
t_assert_eq "19 12" "$(jq -r '[(.[] | select(.filename == "счёт.txt") | .size), (.[] | select(.filename == "акт сверки.pdf") | .size)] | join(" ")' <<<"$listed")" \
    "each with its size in bytes"
t_end

t_case "the ticket keeps each file once, winmail.dat unpacked into its files, and hands each back byte for byte"
list=$(sb cli ticket attachments "$t" --json)
t_assert_eq "$(expected | sort)" "$(jq -r '.[] | "\(.filename)\t\(.sha256)"' <<<"$list" | sort)" \
    "the five files by name and SHA-256 (winmail.dat's two in its place)"
t_assert_eq "true true true true true" "$(jq -r '[.[].stored] | map(tostring) | join(" ")' <<<"$list")" "all kept"
t_assert_eq "winmail.dat winmail.dat" "$(jq -r '[.[] | select(.packed_in) | .packed_in] | join(" ")' <<<"$list")" \
    "two files say they came in winmail.dat"
t_assert_eq "image/png true" "$(jq -r '.[] | select(.filename == "screenshot.png") | "\(.content_type) \(.content_id != null)"' <<<"$list")" \
    "the inline image keeps its type and Content-ID"
while IFS=$'\t' read -r name hash _; do
    id=$(attachment_id "$t" "$name")
    t_assert_eq "$hash" "$(sb cli ticket attachment get "$t" "$id" | sha256sum | cut -d' ' -f1)" "attachment get: $name"
done < "$work/expected.tsv"
t_assert_eq 5 "$(sb cli ticket show "$t" --json | jq '.attachments | length')" "ticket show --json lists them"
text=$(sb cli ticket attachments "$t")
t_assert_match 'знімок екрана\.png +\(from [^)]*, unpacked from winmail\.dat\)' "$text" "the text listing says where a file came from"
out=$(sb cli ticket attachment get "$t" 999999999 2>&1); rc=$?
t_assert_eq 1 "$rc" "an unknown attachment id fails"
t_assert_match 'has no attachment 999999999' "$out" "and says so"
t_end

t_case "an agent's reply with two files reaches the customer byte for byte, from support@, the agent's address nowhere"
"$tests_mail/make-attachments" "$work/reply" "$cust" "$agent" "$t"
before=$(sb mail "$cust" | wc -l)
sb send --auth "$agent" "$work/reply/agent.eml" >/dev/null
wait_mail "$cust" $((before + 1)) 20 >/dev/null
reply=$(mail_matching "$cust" 'firewall configuration') || reply=""
t_assert_ne "" "$reply" "the customer received the reply"
if [ -n "$reply" ]; then
    got=$(files_of "$reply")
    t_assert_eq "nftables.conf	$(sha "$work/files/nftables.conf")
рахунок-виправлений.pdf	$(sha "$work/files/invoice-2026-117.pdf")" "$got" "both files, byte for byte, under their names"
    t_assert_match 'support@introserv\.com' "$(hdr "$reply" From)" "from support@"
    t_assert_eq 0 "$(grep -ci "$agent" "$reply")" "the agent's address is nowhere in the mail"
fi
t_assert_eq 7 "$(sb cli ticket attachments "$t" --json | jq length)" "the ticket holds the agent's two files as well"
t_assert_eq 1 "$(sb_sql "select count(*) from blobs where encode(sha256, 'hex') = '$(sha "$work/files/invoice-2026-117.pdf")'")" \
    "the PDF the customer and the agent both sent is kept once"
t_end

t_case "an escalation's history mail carries the ticket's files, each content once; a follow-up's copy carries its file"
agent_mail "$agent" "$t" >/dev/null <<<"#escalate sysadmins firewall rules to apply"
wait_sql "select team from tickets where id = $t" sysadmins 20 >/dev/null
# Held until the team's shift when it is off: read the queued mail itself.
sb_sql "select convert_from(data, 'UTF8') from outbox where ticket_id = $t and rcpt = 'sysadmins@introserv.com'
    order by id desc limit 1" > "$work/history.eml"
got=$(files_of "$work/history.eml")
want=$( { expected; printf 'nftables.conf\t%s\n' "$(sha "$work/files/nftables.conf")"; } | sort)
t_assert_eq "$want" "$(sort <<<"$got")" "the customer's five files and the agent's new one; the PDF both sent, once"
follow=$work/follow.eml
printf 'From: <%s>\r\nTo: support@introserv.com\r\nSubject: Re: [INTROSERV #%s] dmesg\r\nMessage-ID: <f21.%s@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe kernel log.\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="dmesg.txt"\r\n\r\n[  0.000] Linux version 6.1\r\n--b--\r\n' \
    "$cust" "$t" "$run" > "$follow"
sb send "$follow" >/dev/null
copy=$(mail_matching sysadmins@introserv.com "f21.$run@example.net") || copy=""
t_assert_match 'dmesg\.txt	[0-9a-f]{64}' "$( [ -n "$copy" ] && files_of "$copy")" "the owning team's copy of the follow-up carries dmesg.txt"
t_assert_eq 1 "$(sb_sql "select count(*) from attachments a join messages m on m.id = a.message_id where m.ticket_id = $t and a.filename = 'dmesg.txt' and a.stored")" \
    "and the ticket keeps it"
t_end

t_case "over attachment_max_file: an agent's reply is refused naming the file and the customer gets nothing; a customer's mail is recorded without the content"
cp -p "$conf" "$conf.t21"
echo "attachment_max_file = 2K" >> "$conf"
t_assert_true sb_reload milter "the milter reloaded"
before=$(sb mail "$cust" | wc -l)
sb send --auth "$agent" "$(with_id "$work/reply/agent.eml" "big21.$run@introserv.com")" >/dev/null
refusal=$(mail_matching "$agent" "^In-Reply-To: <big21.$run@introserv.com>") || refusal=""
t_assert_ne "" "$refusal" "the agent is told"
[ -z "$refusal" ] || t_assert_match 'attachment "рахунок-виправлений\.pdf" \(3\.3 KB\) is larger than attachment_max_file \(2 KB\)' \
    "$(mail_text "$refusal" | tr '\n' ' ')" "naming the file and the limit"
t_assert_eq "$before" "$(sb mail "$cust" | wc -l)" "the customer received nothing"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where ticket_id = $t and rcpt = '$cust' and sent_at is null")" \
    "and nothing waits for the customer"
mid=big21c.$run@example.net
sb send "$(with_id "$work/customer.eml" "$mid")" >/dev/null
t2=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 20)
t_assert_match '^[0-9]+$' "$t2" "the mail over the limit is recorded"
t_assert_eq "screenshot.png:not invoice-2026-117.pdf:not знімок екрана.png:kept" \
    "$(sb_sql "select string_agg(a.filename || ':' || case when a.stored then 'kept' else 'not' end, ' ' order by a.position)
        from attachments a join messages m on m.id = a.message_id where m.message_id = '$mid'
        and a.filename in ('screenshot.png', 'invoice-2026-117.pdf', 'знімок екрана.png')")" \
    "files over 2 KB listed without content, the small one kept"
t_assert_match 'content not kept: "invoice-2026-117\.pdf" \(3\.3 KB\) is larger than attachment_max_file' \
    "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $t2 and type = 'attachment'")" "the history names the file"
out=$(sb cli ticket attachment get "$t2" "$(attachment_id "$t2" invoice-2026-117.pdf)" 2>&1); rc=$?
t_assert_eq 1 "$rc" "its content cannot be fetched"
t_assert_match 'not kept' "$out" "and the command says why"
cp -p "$conf.t21" "$conf"
t_assert_true sb_reload milter "the milter reloaded the restored file"
t_end

t_case "attachment_retention purges the content of a long-closed ticket's files, keeping their names, sizes and hashes"
kept_bytes() { sb cli status --json | jq -r '.attachments.kept_bytes'; }
kept0=$(kept_bytes)
# The Russian customer's ticket too: its files are its own, so purging them frees what status counts.
sb_sql "update tickets set status = 'closed', closed_at = now() - interval '40 days' where id in ($t2, $tr)" >/dev/null
echo "attachment_retention = 30d" >> "$conf"
sb scheduler --once >/dev/null 2>&1
t_assert_eq "0" "$(sb_sql "select count(*) from attachments a join messages m on m.id = a.message_id where m.ticket_id = $t2 and a.stored")" \
    "no file of the closed ticket keeps its content"
t_assert_eq 5 "$(sb cli ticket attachments "$t2" --json | jq '[.[] | select(.sha256 | length == 64)] | length')" \
    "the five are still listed with their hashes"
t_assert_eq "t" "$(sb_sql "select content is not null from blobs where encode(sha256, 'hex') = '$(sha "$work/files/знімок екрана.png")'")" \
    "a content the open ticket still holds stays"
t_assert_match 'content purged' "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $t2 and type = 'attachment'")" \
    "the history says so"
t_assert_match '^attachments: [0-9]+ file' "$(sb cli status | grep '^attachments:')" "status shows the space the files take"
t_assert_true [ "$(kept_bytes)" -lt "${kept0:-0}" ] "and the space kept fell with the purge of files no open ticket holds ($kept0 -> $(kept_bytes) bytes)"
cp -p "$conf.t21" "$conf"
t_end
