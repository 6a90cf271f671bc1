#!/bin/sh
# sudo(8) stub: sudo [-nSEH] [-u user] [-g group] [VAR=value] [-i|-s] [command [args]]
# Test sessions already run as root and sudo is treated as configured with
# NOPASSWD: the command is simply run (-S never consumes stdin); -u/-g are
# accepted and recorded in the tool log.  Used to test `become`.
. "${0%/*}/../lib/sim.sh"

usage() {
	cat >&2 <<'USAGE'
usage: sudo -h | -K | -k | -V
usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]
usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]
            [-u user] [command [arg ...]]
usage: sudo [-ABbEHkNnPS] [-C num] [-D directory]
            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]
            [-u user] [VAR=value] [-i | -s] [command [arg ...]]
USAGE
}

run() {
	OPTIND=1
	while getopts "ABbEHkKlNnPSVvisC:D:g:h:p:R:T:u:U:" opt; do
		case $opt in
		A|B|b|E|H|k|N|n|P|S|C|D|g|h|p|R|T|u|U) ;;
		K) return 0 ;;
		V) echo "Sudo version 1.9.15p5"; return 0 ;;
		v) validate=1 ;;
		l) list=1 ;;
		i|s) shell=1 ;;
		*) usage; return 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	if [ -n "$list" ] && [ $# -eq 0 ]; then
		echo "User root may run the following commands on $(/usr/bin/uname -n):"
		echo "    (ALL) NOPASSWD: ALL"
		return 0
	fi
	[ -n "$validate" ] && [ $# -eq 0 ] && return 0
	while [ $# -gt 0 ]; do
		case $1 in
		*=*) export "$1"; shift ;;
		*) break ;;
		esac
	done
	if [ $# -eq 0 ]; then
		if [ -n "$shell" ]; then
			/bin/sh
			return $?
		fi
		usage
		return 1
	fi
	if [ -n "$shell" ]; then
		/bin/sh -c "$*"
		return $?
	fi
	if ! command -v "$1" >/dev/null 2>&1; then
		sim_warnx sudo "$1: command not found"
		return 1
	fi
	"$@"
}

validate= list= shell=
run "$@"
rc=$?
sim_log sudo $rc "$@"
exit $rc
