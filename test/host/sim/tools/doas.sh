#!/bin/sh
# doas(1) stub: doas [-Lns] [-C config] [-u user] command [args]
# Test sessions already run as root, so the command is simply run (any -u user
# is accepted; the full argv is recorded in the tool log).  Used to test
# `become`.  stdin/stdout/stderr and the exit status pass through.
. "${0%/*}/../lib/sim.sh"

run() {
	OPTIND=1
	while getopts "C:Lnsu:" opt; do
		case $opt in
		C|n|u) ;;
		L) return 0 ;;
		s) shell=1 ;;
		*) usage; return 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	if [ $# -eq 0 ]; then
		if [ -n "$shell" ]; then
			/bin/sh
			return $?
		fi
		usage
		return 1
	fi
	if ! command -v "$1" >/dev/null 2>&1; then
		sim_warnx doas "$1: No such file or directory"
		return 1
	fi
	"$@"
}
usage() {
	echo "usage: doas [-Lns] [-C config] [-u user] command [args]" >&2
}

shell=
run "$@"
rc=$?
sim_log doas $rc "$@"
exit $rc
