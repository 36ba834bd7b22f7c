# t_55_packaging.sh - the Debian package builds, installs into a clean root, matches make install, its units verify, and the sandbox runs from the installed tree.

# Everything this file makes lives under one /tmp/sg-t55-* directory.  The second sandbox gets ports of its own:
# SG_T55_SMTP_PORT (its relay: that + 1) and SG_T55_SUBMISSION_PORT, or free ones drawn at run time.
t55=$(mktemp -d /tmp/sg-t55-XXXXXX)
chmod 755 "$t55"
t55_sandbox=$t55/sandbox
t55_smtp="" t55_submission=""   # chosen by the case that starts it
deb=""

# The second sandbox, running the programs, migrations and templates the package installed into $t55/clean.
sb2() {
    SUPPORTGATE_SANDBOX=$t55_sandbox SUPPORTGATE_SMTP_PORT=$t55_smtp SUPPORTGATE_SUBMISSION_PORT=$t55_submission \
        SG_PREFIX=$t55/clean/usr "$SG_SRCDIR/contrib/sandbox" "$@"
}

t55_cleanup() {
    [ -n "$t55" ] && [ -d "$t55" ] || return 0
    [ ! -d "$t55_sandbox" ] || sb2 reset > /dev/null 2>&1 || echo "# warning: could not reset $t55_sandbox"
    rm -rf "$t55"
}
# lib.sh's exit trap reports a case left open; keep it, and clean up first.
trap 't55_rc=$?; t55_cleanup; (exit $t55_rc); t_file_exit' EXIT

# in_root CMD... - run CMD chrooted in an overlay of this machine's / whose writes all land in $t55/upper (the
# lower layer is never written).  The mounts live in a private mount namespace and vanish with the command.
in_root() {
    mkdir -p "$t55/upper" "$t55/work" "$t55/merged"
    # shellcheck disable=SC2016 # expanded by the inner bash
    unshare -m --propagation private bash -c '
        set -e
        t=$1; shift
        mount -t overlay overlay -o "lowerdir=/,upperdir=$t/upper,workdir=$t/work" "$t/merged"
        mount --rbind /dev "$t/merged/dev"
        mount -t proc proc "$t/merged/proc"
        mount --rbind /sys "$t/merged/sys"
        mount -t tmpfs tmpfs "$t/merged/run"
        exec chroot "$t/merged" "$@"' in_root "$t55" "$@"
}

# Sorted file paths (files and links, not directories) below DIR, relative to it with a leading /.
files_below() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\.||' | LC_ALL=C sort); }

t_case "make deb builds the package with dpkg-buildpackage from the make dist tarball"
# nocheck: the unit tests already ran in this suite; noddebs: the debug symbols package is not looked at here.
if DEB_BUILD_OPTIONS="nocheck noddebs" make -C "$SG_BUILDDIR" deb DEB_WORKDIR="$t55/deb-build" > "$t55/deb.log" 2>&1; then
    version=$(dpkg-parsechangelog -l "$SG_SRCDIR/contrib/debian/changelog" -S Version)
    deb=supportgate_${version}_$(dpkg --print-architecture).deb
    t_assert_true test -f "$SG_BUILDDIR/$deb" "make deb leaves $deb in the build directory"
    # Take what it made out of the build directory, so nothing of this run stays behind.
    for f in "$SG_BUILDDIR"/supportgate*_"${version}"_*.deb "$SG_BUILDDIR"/supportgate_"${version}"_*.buildinfo \
        "$SG_BUILDDIR"/supportgate_"${version}"_*.changes; do
        [ ! -e "$f" ] || mv -f "$f" "$t55/"
    done
    deb=$t55/$deb
else
    sed 's/^/    /' "$t55/deb.log" | tail -n 40
    t_fail "make deb failed (last lines above)"
fi
if [ -f "$deb" ]; then
    t_assert_eq supportgate "$(dpkg-deb -f "$deb" Package)" "package name"
    t_assert_match '(^|, )adduser(,|$)' "$(dpkg-deb -f "$deb" Depends)" "depends on adduser (postinst creates the user)"
    t_assert_match 'libmilter' "$(dpkg-deb -f "$deb" Depends)" "shared library dependencies filled in"
    t_assert_eq "/etc/supportgate/supportgate.conf" "$(dpkg-deb -I "$deb" conffiles)" "the configuration is the only conffile"
    t_assert_eq mail "$(dpkg-deb -f "$deb" Section)" "section mail"
    # An upgrade must not stop the daemons (a stopped milter means 451s until someone restarts it): no preinst.
    t_assert_false dpkg-deb -I "$deb" preinst "no preinst (nothing is stopped before an upgrade)"
    t_assert_match 'deb-systemd-invoke stop' "$(dpkg-deb -I "$deb" prerm 2>&1)" "prerm stops the units on removal"
fi
t_end

t_case "the package unpacks into an empty root; its files are make install's, with Debian's differences only"
if [ -f "$deb" ]; then
    clean=$t55/clean
    mkdir -p "$clean/var/lib/dpkg/info" "$clean/var/lib/dpkg/updates"
    : > "$clean/var/lib/dpkg/status"
    # Dependencies are not in an empty root: unpack only (no maintainer script runs; the next case runs them).
    t_assert_true dpkg --root="$clean" --force-depends --unpack "$deb" "dpkg --root unpacks it"
    # Unpacked but not configured, dpkg keeps the conffile as NAME.dpkg-new (configuring moves it into place).
    conf=$clean/etc/supportgate/supportgate.conf.dpkg-new
    pkg_files=$(dpkg --root="$clean" -L supportgate | while IFS= read -r p; do
        if [ -f "$clean$p" ] || [ -L "$clean$p" ] || [ -f "$clean$p.dpkg-new" ]; then printf '%s\n' "$p"; fi
    done | LC_ALL=C sort)
    make -s -C "$SG_BUILDDIR" install DESTDIR="$t55/make-install" prefix=/usr sysconfdir=/etc > "$t55/install.log" 2>&1 ||
        t_fail "make install prefix=/usr sysconfdir=/etc failed: $(tail -n 5 "$t55/install.log")"
    mi_files=$(files_below "$t55/make-install")
    # Debian's differences, each for a reason of Debian policy or packaging practice:
    #  - man pages are gzipped (policy 12.1);
    #  - the units go where systemd looks (/lib/systemd/system), as well as staying among the examples;
    #  - the conffile /etc/supportgate/supportgate.conf, a copy of the example;
    #  - copyright, changelog.Debian.gz and README.Debian in the doc directory (policy 12.5, 12.7);
    #  - lintian overrides for the deliberate tags.
    extras=$'/etc/supportgate/supportgate.conf\n/lib/systemd/system/supportgate-milter.service
/lib/systemd/system/supportgate-scheduler.service\n/usr/share/doc/supportgate/README.Debian
/usr/share/doc/supportgate/changelog.Debian.gz\n/usr/share/doc/supportgate/copyright
/usr/share/lintian/overrides/supportgate'
    mapped=$(grep -vxF -f <(printf '%s\n' "$extras") <<< "$pkg_files" | sed -E 's|^(/usr/share/man/man[0-9]/.*)\.gz$|\1|')
    t_assert_eq "$mi_files" "$mapped" "same files as make install once the Debian extras are set aside"
    for f in $extras; do
        t_assert_true test -e "$clean$f" -o -e "$clean$f.dpkg-new" "the package has $f"
    done
    for f in $mi_files; do
        case $f in /usr/share/man/*) continue ;; esac
        cmp -s "$t55/make-install$f" "$clean$f" || [[ $f == /usr/*bin/* ]] ||
            t_fail "$f differs between the package and make install"
    done
    t_assert_true cmp -s "$SG_SRCDIR/doc/supportgate.conf.example" "$conf" "the shipped configuration is the example"
    for u in supportgate-milter supportgate-scheduler; do
        t_assert_true cmp -s "$SG_SRCDIR/contrib/systemd/$u.service" "$clean/lib/systemd/system/$u.service" "$u.service as in contrib/systemd"
    done
    t_assert_eq "640 root" "$(stat -c '%a %U' "$conf")" "the configuration is not world-readable"
    # The operator's guide names installed paths; each must be in the package (the passfile is the operator's own).
    named=$(grep -oE '(^|[ `(|])(/usr|/lib|/etc/supportgate)/[A-Za-z0-9_.*/-]*supportgate[A-Za-z0-9_.*/-]*' \
        "$SG_SRCDIR/doc/operations.md" | sed -E 's/^[ `(|]//; s/[.]$//' | LC_ALL=C sort -u | grep -vxF /etc/supportgate/pgpass)
    t_assert_match '/usr/share/doc/supportgate/examples/main\.cf\.snippet' "$named" "the guide names the Postfix snippet"
    for p in $named; do
        compgen -G "$clean$p" > /dev/null || compgen -G "$clean$p.dpkg-new" > /dev/null || t_fail "doc/operations.md names $p, which the package does not ship"
    done
    v=$("$clean/usr/bin/supportgate" --version 2>&1)
    t_assert_match "^supportgate " "$v" "the packaged CLI runs"
    t_assert_no_match "test clock" "$v" "the package is built without the sandbox's test clock"
    t_assert_false grep -q SUPPORTGATE_TEST_CLOCK "$clean/usr/sbin/supportgate-milter" \
        "the packaged milter does not read SUPPORTGATE_TEST_CLOCK"
else
    t_fail "no package to unpack"
fi
t_end

t_case "on a root with Postfix the maintainer scripts add the user and group and leave Postfix and the units alone"
if [ -f "$deb" ]; then
    mkdir -p "$t55/upper/tmp"
    cp "$deb" "$t55/upper/tmp/supportgate.deb"
    # The man-db trigger is slow and beside the point here (auto-update is removed in the overlay only).
    out=$(in_root sh -c 'rm -f /var/lib/man-db/auto-update; dpkg -i /tmp/supportgate.deb' 2>&1)
    t_assert_eq 0 "$?" "dpkg -i succeeds: $out"
    t_assert_match '^supportgate:x:[0-9]+:[0-9]+:[^:]*:/nonexistent:/usr/sbin/nologin$' \
        "$(in_root getent passwd supportgate)" "system user supportgate, no home, no shell"
    t_assert_match '(^| )supportgate( |$)' "$(in_root id -Gn postfix)" "postfix is in the group supportgate (milter socket)"
    t_assert_eq "640 root supportgate" "$(in_root stat -c '%a %U %G' /etc/supportgate/supportgate.conf)" \
        "configuration root:supportgate 0640"
    t_assert_eq "600 supportgate supportgate" "$(in_root stat -c '%a %U %G' /etc/supportgate/reply.key)" \
        "the reply key is made at installation, the daemons' alone"
    t_assert_match 'supportgate\.conf: ok' "$(in_root runuser -u supportgate -- supportgate config check 2>&1)" \
        "the daemons' user reads the shipped configuration and it checks out with the installed templates"
    # Everything the scripts wrote is in the overlay's upper layer.
    t_assert_eq "" "$(cd "$t55/upper" && find etc/postfix var/spool/postfix 2>/dev/null)" "nothing written below /etc/postfix"
    t_assert_eq "" "$(cd "$t55/upper" && find etc/systemd run 2>/dev/null | grep supportgate)" "units neither enabled nor started"
    t_assert_true test -f "$t55/upper/usr/lib/systemd/system/supportgate-milter.service" -o \
        -f "$t55/upper/lib/systemd/system/supportgate-milter.service" "the milter unit is installed"
else
    t_fail "no package to install"
fi
t_end

if ! command -v systemd-analyze > /dev/null; then
    echo "# skip: systemd-analyze is not installed (package systemd): the units were NOT verified"
elif [ -f "$deb" ]; then
    t_case "systemd-analyze verify accepts both units as installed (binaries, kill, man pages in place)"
    out=$(in_root systemd-analyze verify /lib/systemd/system/supportgate-milter.service \
        /lib/systemd/system/supportgate-scheduler.service 2>&1)
    t_assert_eq 0 "$?" "systemd-analyze verify exits 0"
    t_assert_eq "" "$out" "and says nothing"
    t_end
fi

if ! command -v lintian > /dev/null; then
    echo "# skip: lintian is not installed: the package was not linted"
elif [ -f "$deb" ]; then
    t_case "lintian finds no error and no unexplained warning"
    out=$(lintian --fail-on error,warning "$deb" 2>&1)
    t_assert_eq 0 "$?" "lintian passes: $(grep -E '^[EW]:' <<< "$out" | head -n 10)"
    t_end
fi

t_case "removing and purging the package removes its files; the system user stays"
if [ -f "$deb" ] && [ -d "$t55/upper/etc/supportgate" ]; then
    t_assert_true in_root dpkg -r supportgate "dpkg -r"
    t_assert_eq $'/etc/supportgate/reply.key\n/etc/supportgate/supportgate.conf' \
        "$(in_root sh -c 'ls /etc/supportgate/*; ls /usr/sbin/supportgate* 2>/dev/null')" \
        "after remove only the conffile and the reply key are left"
    t_assert_true in_root dpkg -P supportgate "dpkg -P"
    t_assert_false in_root test -e /etc/supportgate "purge removes /etc/supportgate"
    t_assert_true in_root getent passwd supportgate "the system user stays (files may still belong to it)"
else
    t_fail "the package is not installed in the overlay"
fi
t_end

t_case "the sandbox runs from the installed tree (SG_PREFIX): a mail becomes a ticket and its sender gets the ack"
if [ ! -x "$t55/clean/usr/sbin/supportgate-milter" ]; then
    t_fail "no installed tree (the package did not unpack)"
elif t_ports SG_T55_SMTP_PORT SG_T55_SUBMISSION_PORT; then
    t55_smtp=$T_SMTP_PORT t55_submission=$T_SUBMISSION_PORT
    if sb2 up > "$t55/up.log" 2>&1; then
        for p in milter scheduler; do
            t_assert_eq "$t55/clean/usr/sbin/supportgate-$p" \
                "$(readlink "/proc/$(head -n1 "$t55_sandbox/run/$p.pid")/exe")" "supportgate-$p runs from the installed tree"
        done
        t_assert_match "template_dir = $t55/clean/usr/share/supportgate/templates" "$(cat "$t55_sandbox/supportgate.conf")" \
            "templates from the installed tree"
        who=t55.$RANDOM$RANDOM@example.net
        f=$(mkmail <<EOF
From: <$who>
To: support@introserv.com
Subject: Packaged gateway

Does the packaged gateway answer?
EOF
)
        t_assert_true sb2 send "$f" "the installed milter accepts the mail"
        ack=""
        for _ in $(seq 1 75); do
            ack=$(sb2 mail "$who" | head -n1)
            [ -z "$ack" ] || break
            sleep 0.2
        done
        t_assert_ne "" "$ack" "the acknowledgement reached $who"
        [ -z "$ack" ] || t_assert_eq "auto-replied" "$(hdr "$ack" Auto-Submitted)" "it is an automatic reply"
        [ -z "$ack" ] || t_assert_match '\[INTROSERV #[0-9]+\]' "$(hdr "$ack" Subject)" "its subject carries the ticket tag"
        t_assert_eq "true" "$(sb2 cli status --json 2> /dev/null | jq -r '.schema.expected == .schema.version')" \
            "the installed migrations brought the schema to the installed programs' version"
    else
        sed 's/^/    /' "$t55/up.log" | tail -n 30
        t_fail "SG_PREFIX=$t55/clean/usr contrib/sandbox up failed (last lines above)"
    fi
    sb2 reset > /dev/null 2>&1 || t_fail "the second sandbox did not reset"
fi
t_end

t_case "Postfix accepts the snippets: postfix check passes and postconf reports the milter and both listeners"
# A scratch copy of a Debian Postfix configuration (main.cf as Debian starts it, master.cf as shipped), with its
# own queue and data directories, changed the way doc/operations.md says: nothing of this machine's Postfix is used.
pf=$t55/postfix
mkdir -p "$pf"
cp /usr/share/postfix/main.cf.debian "$pf/main.cf"
cp /usr/share/postfix/master.cf.dist "$pf/master.cf"
postconf -c "$pf" -e "queue_directory=$t55/postfix-queue" "data_directory=$t55/postfix-data" \
    "myhostname=gateway.example.net" "inet_interfaces=loopback-only"
# The queue directory must exist, outside the configuration directory (postfix check walks that one for root's files).
install -d -m 755 "$t55/postfix-queue"
postconf -c "$pf" -F smtp/inet/chroot=n
cat "$SG_SRCDIR/contrib/postfix/main.cf.snippet" >> "$pf/main.cf"
cat "$SG_SRCDIR/contrib/postfix/master.cf.snippet" >> "$pf/master.cf"
# Postfix's commands write their warnings to stderr only when it is a terminal (syslog otherwise): give them one.
out=$(script -qec "postfix -c '$pf' check" /dev/null 2>&1); rc=$?
out=${out//$'\r'/}
t_assert_eq 0 "$rc" "postfix check exits 0: $out"
t_assert_eq "" "$out" "and warns about nothing"
t_assert_eq "" "$(postconf -c "$pf" -n 2>&1 >/dev/null; postconf -c "$pf" -M 2>&1 >/dev/null; \
    postconf -c "$pf" -P 2>&1 >/dev/null)" "postconf warns of no unknown or unused parameter"
t_assert_match '^\{ unix:/run/supportgate/milter\.sock, command_timeout=20s, content_timeout=60s, default_action=tempfail \}$' \
    "$(postconf -c "$pf" -h smtpd_milters)" "smtpd_milters: the socket, both timeouts, tempfail"
t_assert_eq "tempfail" "$(postconf -c "$pf" -h milter_default_action)" "milter_default_action"
t_assert_eq "" "$(postconf -c "$pf" -h non_smtpd_milters)" "no milter for non-SMTP mail"
t_assert_eq "6" "$(postconf -c "$pf" -h milter_protocol)" "milter_protocol"
t_assert_match '\{auth_authen\}' "$(postconf -c "$pf" -h milter_mail_macros)" "the SASL login reaches the milter"
t_assert_eq "submission/inet/smtpd_sasl_auth_enable = yes" \
    "$(postconf -c "$pf" -P submission/inet/smtpd_sasl_auth_enable)" "the submission listener offers AUTH"
t_assert_eq "submission/inet/smtpd_recipient_restrictions = permit_sasl_authenticated,reject" \
    "$(postconf -c "$pf" -P submission/inet/smtpd_recipient_restrictions)" "and takes mail only after it"
t_assert_eq "127.0.0.1:10026/inet/smtpd_milters =" "$(postconf -c "$pf" -P 127.0.0.1:10026/inet/smtpd_milters)" \
    "the relay listener has no milter"
t_assert_eq "127.0.0.1:10026/inet/receive_override_options = no_milters" \
    "$(postconf -c "$pf" -P 127.0.0.1:10026/inet/receive_override_options)" "nor does its cleanup"
t_assert_eq "127.0.0.1:10026/inet/mynetworks = 127.0.0.0/8" "$(postconf -c "$pf" -P 127.0.0.1:10026/inet/mynetworks)" \
    "and it trusts loopback only"
t_assert_eq $'smtp/inet/chroot = n\nsubmission/inet/chroot = n\n127.0.0.1:10026/inet/chroot = n' \
    "$(postconf -c "$pf" -F smtp/inet/chroot submission/inet/chroot 127.0.0.1:10026/inet/chroot)" \
    "no listener that talks to the milter is chrooted"
t_end

t_case "a refused configuration makes both daemons exit 78, which their units do not restart"
bad=$t55/bad.conf
{ cat "$SUPPORTGATE_SANDBOX/supportgate.conf"; echo "db_timeout = 45s"; } > "$bad"
timeout 20 "$SG_BUILDDIR/supportgate-milter" -c "$bad" > /dev/null 2>&1
t_assert_eq 78 "$?" "supportgate-milter exits 78 (EX_CONFIG)"
timeout 20 "$SG_BUILDDIR/supportgate-scheduler" -c "$bad" > /dev/null 2>&1
t_assert_eq 78 "$?" "supportgate-scheduler exits 78 (EX_CONFIG)"
for u in supportgate-milter supportgate-scheduler; do
    t_assert_eq "RestartPreventExitStatus=78" "$(grep '^RestartPreventExitStatus=' "$SG_SRCDIR/contrib/systemd/$u.service")" \
        "$u.service does not restart on 78"
done
t_end

t_case "make distcheck passes: the tarball builds, installs, uninstalls and checks (unit tests and check-docs)"
# It builds the whole tree once more, from the tarball, in a read-only copy; bounded so the file stays in its time.
# Its make check runs with SG_CHECK_UNIT_ONLY=1 (Makefile.am): the e2e suite cannot run inside this one.
if timeout -k 10 600 make -C "$SG_BUILDDIR" -j2 distcheck > "$t55/distcheck.log" 2>&1; then
    t_assert_match 'archives ready for distribution' "$(tail -n 20 "$t55/distcheck.log")" "distcheck says the archive is ready"
    t_assert_match 'PASS: tests/run-tests' "$(cat "$t55/distcheck.log")" "its make check passes"
    t_assert_match 'SG_CHECK_UNIT_ONLY=1: unit tests and check-docs only' "$(cat "$t55/distcheck.log")" \
        "and says what it left out"
    t_assert_match '^tests/run-tests: [1-9][0-9]* passed, 0 failed$' \
        "$(grep -E '^tests/run-tests: [0-9]+ passed, [0-9]+ failed' "$t55/distcheck.log")" "unit tests passed, none failed"
else
    rc=$?
    sed 's/^/    /' "$t55/distcheck.log" | tail -n 40
    t_fail "make distcheck failed (exit status $rc; last lines above)"
fi
t_end
