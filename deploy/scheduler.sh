#!/usr/bin/env bash
# compose.yaml's scheduler, one run at a time (README.md, "How often the scheduler fetches",
# for the defaults): fetch_articles now, then every FETCH_INTERVAL seconds after each run
# ends (every source: NewsAPI, the Guardian and the due feeds), a failed run tried again
# sooner; between those, every FEEDS_INTERVAL seconds, `fetch_articles --source feeds`, which
# fetches the due feeds and spends nothing of the upstreams' daily budgets. SIGTERM
# (docker stop) is passed on to the run, which stops as Ctrl-C would, keeping the pages
# already stored; then this exits 0.
set -o nounset -o pipefail

seconds() { # seconds NAME DEFAULT: the variable NAME, a whole number of seconds
    local value=${!1:-$2}
    if [[ ! $value =~ ^[1-9][0-9]*$ ]]; then
        echo "Configuration error: $1 must be a whole number of seconds, not '$value'." >&2
        return 1
    fi
    echo "$value"
}
interval=$(seconds FETCH_INTERVAL 7200) || exit 1
feeds_interval=$(seconds FEEDS_INTERVAL 900) || exit 1

child=
stop() {
    trap - TERM INT
    [ -z "$child" ] || kill -TERM "$child" 2> /dev/null
    wait
    echo "scheduler: stopped"
    exit 0
}
trap stop TERM INT

pause() {
    sleep "$1" &
    child=$!
    wait "$child"
}
run() { # run [ARGUMENT...]: fetch_articles with these; touches the health check's file when it succeeds
    echo "scheduler: $(date -u +%Y-%m-%dT%H:%M:%SZ) fetch_articles $*"
    python manage.py fetch_articles --verbosity 0 "$@" &
    child=$!
    wait "$child"
    status=$?
    [ "$status" -ne 0 ] || touch /tmp/scheduler-ran # the health check: a run has succeeded
    return "$status"
}
every_source() {
    # A failed run (the database or an upstream out of reach for a moment) is tried again
    # 30 s later, three times at most; fetch_articles itself keeps each day's budget.
    for attempt in 1 2 3 4; do
        run && return
        if [ "$attempt" -eq 4 ]; then
            echo "scheduler: fetch_articles exited with status $status; next run in ${interval}s" >&2
        else
            echo "scheduler: fetch_articles exited with status $status; trying again in 30s" >&2
            pause 30
        fi
    done
}

echo "scheduler: fetch_articles every ${interval}s, the feeds alone every ${feeds_interval}s"
next_run=0
next_feeds=0
while :; do
    if [ "$(date +%s)" -ge "$next_run" ]; then
        every_source
        next_run=$(($(date +%s) + interval))
        next_feeds=$(($(date +%s) + feeds_interval))
    elif [ "$(date +%s)" -ge "$next_feeds" ]; then
        run --source feeds || echo "scheduler: fetch_articles --source feeds exited with status $status" >&2
        next_feeds=$(($(date +%s) + feeds_interval))
    fi
    wait_for=$(((next_run < next_feeds ? next_run : next_feeds) - $(date +%s)))
    [ "$wait_for" -le 0 ] || pause "$wait_for"
done
