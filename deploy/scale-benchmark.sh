#!/usr/bin/env bash
# Requests/s and p99 through the proxy with one api replica, then three, in one run: the
# cached article list, `hey -z 20s -c 10` after a warm-up, with the demo profile's data.
# Needs hey. Prints a table for docs/BENCHMARKS.md. API_PORT: the host port (default 18000).
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."
command -v hey > /dev/null || { echo "hey is not installed: apt-get install hey (or brew install hey)." >&2; exit 1; }

project=news-bench
export API_RATE_LIMIT=1000000000/min # the load is one key's; the limit is not what is measured
# shellcheck source=deploy/stack.sh
. deploy/stack.sh

measure() { # measure REPLICAS: a table row
    quietly compose up -d --scale api="$1" || die "docker compose up --scale api=$1"
    wait_until_healthy $((5 + $1))
    sleep 6 # the proxy resolves the replicas again every 5 s
    hey -z 5s -c 10 -H "X-Api-Key: $key" "$base/api/articles/?category=technology" > /dev/null
    hey -z 20s -c 10 -H "X-Api-Key: $key" "$base/api/articles/?category=technology" > "/tmp/$project-$1.txt"
    awk -v replicas="$1" '
        /Requests\/sec/ { rate = $2 }
        /99% in/ { p99 = $3 * 1000 }
        /Average:/ && !average { average = $2 * 1000 }
        /responses/ { gsub(/[ \t]+/, " "); answers = answers $0 }
        END { printf "| %d | %.0f | %.1f | %.1f | %s |\n", replicas, rate, average, p99, answers }
    ' "/tmp/$project-$1.txt"
}

start_with_a_key benchmark
echo "Through the proxy, cached GET /api/articles/?category=technology, hey -z 20s -c 10 after 5 s of warm-up;"
echo "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| api replicas | req/s | average ms | p99 ms | answers |"
echo "| --- | --- | --- | --- | --- |"
measure 1
measure 3
