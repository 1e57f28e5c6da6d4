#!/usr/bin/env bash
# compose.yaml's scheduler: fetch_articles now, then every FETCH_INTERVAL seconds after
# each run ends (README.md, "Running with Docker Compose", for the default), a failed run
# tried again sooner. SIGTERM
# (docker stop) is passed on to the run, which stops as Ctrl-C would, keeping the pages
# already stored; then this exits 0.
set -o nounset -o pipefail

interval=${FETCH_INTERVAL:-7200}
if [[ ! $interval =~ ^[1-9][0-9]*$ ]]; then
    echo "Configuration error: FETCH_INTERVAL must be a whole number of seconds, not '$interval'." >&2
    exit 1
fi

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
run() {
    echo "scheduler: $(date -u +%Y-%m-%dT%H:%M:%SZ) fetch_articles"
    python manage.py fetch_articles --verbosity 0 &
    child=$!
    wait "$child"
}

echo "scheduler: fetch_articles every ${interval}s"
while :; do
    # A failed run (the database or an upstream out of reach for a moment) is tried again
    # 30 s later, three times at most; fetch_articles itself keeps each day's budget.
    for attempt in 1 2 3 4; do
        run
        status=$?
        if [ "$status" -eq 0 ]; then
            touch /tmp/scheduler-ran # the health check: a run has succeeded
            break
        fi
        if [ "$attempt" -eq 4 ]; then
            echo "scheduler: fetch_articles exited with status $status; next run in ${interval}s" >&2
        else
            echo "scheduler: fetch_articles exited with status $status; trying again in 30s" >&2
            pause 30
        fi
    done
    pause "$interval"
done
