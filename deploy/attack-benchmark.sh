#!/usr/bin/env bash
# The API's reader alone and under attack (deploy/attack.py: connections that send their headers a byte
# every 3 s, wrong admin logins), through the compose stack's proxy, then straight at one api container:
# gunicorn's sync workers with nothing in front, as the bare command listening on 0.0.0.0 would meet it.
# The reader is `hey -z 10s -c 4` on the cached article list, starting 2 s into a 16 s attack. Needs hey
# and python3, and the api container's address reachable from this host (Docker's and podman's bridges
# are). Prints a table for docs/BENCHMARKS.md. API_PORT: the host port (default 18000).
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."
command -v hey > /dev/null || { echo "hey is not installed: apt-get install hey (or brew install hey)." >&2; exit 1; }

project=news-attack
export API_RATE_LIMIT=1000000000/min # the reader is one key; its limit is not what is measured
# shellcheck source=deploy/stack.sh
. deploy/stack.sh

row() { # row TARGET WHAT [attack.py options...]: the reader alone (no options) or under that attack
    local target=$1 what=$2 attack='' said=''
    shift 2
    if [ $# -gt 0 ]; then
        python3 deploy/attack.py "$target" --host localhost --hold 16 "$@" > "/tmp/$project-attack.txt" 2>&1 &
        attack=$!
        sleep 2
    fi
    hey -z 10s -c 4 -host localhost -H "X-Api-Key: $key" "$target/api/articles/?limit=5" > "/tmp/$project-hey.txt"
    if [ -n "$attack" ]; then
        wait "$attack" || true
        said=$(sed -n 's/^wrong admin logins.*sent: //p' "/tmp/$project-attack.txt")
    fi
    echo "| $([ "$target" = "$base" ] && echo proxy || echo "api, no proxy") | $what | $(reader_figures "/tmp/$project-hey.txt") | $said |"
}

start_with_a_key benchmark
api=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=api)
address=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$api")
direct=http://$address:8000
curl --silent --fail --max-time 5 -H 'Host: localhost' "$direct/health/" > /dev/null ||
    die "the api container ($address:8000) cannot be reached from this host"
fetch /api/articles/?limit=5 -H "X-Api-Key: $key" > /dev/null # the page is cached from here on

echo "The reader: hey -z 10s -c 4 on the cached /api/articles/?limit=5, 2 s into a 16 s attack by deploy/attack.py"
echo "(slow headers: a byte every 3 s; logins spread over the 16 s, 10 at a time); one api replica, 3 sync workers;"
echo "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| to | attack | the reader got | the wrong logins got |"
echo "| --- | --- | --- | --- |"
row "$base" "none"
row "$base" "20 slow-header connections, 200 wrong logins for one user" --slow 20 --logins 200 --username proxy-admin
row "$base" "200 wrong logins, a new user name each" --slow 0 --logins 200 --username proxy-user --rotate
row "$direct" "none"
row "$direct" "200 wrong logins for one user" --slow 0 --logins 200 --username direct-admin
row "$direct" "200 wrong logins, a new user name each" --slow 0 --logins 200 --username direct-user --rotate
row "$direct" "20 slow-header connections" --slow 20 --logins 0
