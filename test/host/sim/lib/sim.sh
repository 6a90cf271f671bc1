# Shared helpers for simulated tools written in sh (sourced).
# sim_log TOOL EXITCODE ARG... appends one line to the tool log.  Arguments are
# base64-encoded ("argv64") so that any byte survives; the harness decodes.
SIM_ROOT=${FREEBSD_SIM_ROOT:-/var/run/freebsd-sim}

sim_log()
{
	_sim_tool=$1 _sim_rc=$2
	shift 2
	_sim_args=
	for _sim_a in "$@"; do
		_sim_args="$_sim_args${_sim_args:+,}\"$(printf '%s' "$_sim_a" | /usr/bin/base64 -w0)\""
	done
	( printf '{"time":"%s","tool":"%s","argv64":[%s],"exitCode":%d}\n' \
	    "$(/usr/bin/date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$_sim_tool" "$_sim_args" "$_sim_rc" \
	    >> "$SIM_ROOT/tools.jsonl" ) 2>/dev/null
	return 0
}

# sim_warnx PROG MESSAGE: FreeBSD warnx(3) style message on stderr.
sim_warnx()
{
	printf '%s: %s\n' "$1" "$2" >&2
}
