#!/bin/sh
# freebsd-sim fault shim.  The harness (test/host/index.ts, host.faults.*)
# links this file as /var/run/freebsd-sim/shims/NAME, first on PATH inside the
# host, for every faulted command NAME.  It applies the knobs kept in
# /var/run/freebsd-sim/faults/NAME/ and then runs the real NAME from PATH:
#   slow          seconds to sleep before running
#   fail/tokens/* one file per pending failure; a run claims one by
#                 removing it (atomic), then prints fail/stderr on stderr and
#                 exits with fail/code without running the command
_n=${0##*/}
_self=/var/run/freebsd-sim/shims
_d=/var/run/freebsd-sim/faults/$_n
if [ -r "$_d/slow" ]; then
	read -r _s < "$_d/slow" && [ -n "$_s" ] && /usr/bin/sleep "$_s"
fi
if [ -d "$_d/fail/tokens" ]; then
	for _t in "$_d"/fail/tokens/*; do
		[ -e "$_t" ] || break
		if /usr/bin/rm "$_t" 2>/dev/null; then
			[ -r "$_d/fail/stderr" ] && /usr/bin/cat "$_d/fail/stderr" >&2
			_c=1
			[ -r "$_d/fail/code" ] && read -r _c < "$_d/fail/code"
			exit "$_c"
		fi
	done
fi
set -f
_oifs=$IFS
IFS=:
for _p in $PATH; do
	[ "$_p" = "$_self" ] && continue
	[ -n "$_p" ] || _p=.
	if [ -f "$_p/$_n" ] && [ -x "$_p/$_n" ]; then
		IFS=$_oifs
		set +f
		exec "$_p/$_n" "$@"
	fi
done
IFS=$_oifs
echo "sh: $_n: not found" >&2
exit 127
