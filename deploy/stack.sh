# The compose stack, driven from the host: what deploy/smoke.sh and deploy/scale-benchmark.sh
# share. Source it after setting `project` (its own containers and volumes: a stack
# already running is left alone) and API_RATE_LIMIT; API_PORT is the host port (default
# 18000). It gives the stack random secrets, tears it down (down -v) when the script
# exits, also on failure, and prints the verdict last.
export API_PORT=${API_PORT:-18000}
base=http://127.0.0.1:$API_PORT
# This run's secrets, as .env would give them: random, in this process's environment only
# (deploy/smoke.sh also runs without them, as a fresh clone does).
random_secrets() {
    SECRET_KEY=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
    POSTGRES_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    export SECRET_KEY POSTGRES_PASSWORD
}
random_secrets
# Its own image tag, and none of the developer's .env (neither for compose's variables nor
# the containers'): a stack of theirs keeps its image and settings.
export NEWS_IMAGE=news-api:$project APP_ENV_FILE=/dev/null

compose() { docker compose --project-name "$project" --env-file /dev/null --profile demo "$@"; }
build() { quietly nice -n 10 docker compose --project-name "$project" --env-file /dev/null --profile demo build || die "docker compose build"; }
say() { echo "$project: $*"; }
verdict=
die() { # the teardown prints the verdict, last
    verdict="FAILED: $*"
    exit 1
}
quietly() { # a command's output only when it fails
    local output
    output=$("$@" 2>&1) || {
        echo "$output" >&2
        return 1
    }
}

failures=()
check() { # check "what" command...: run it, record a failure and go on
    if "${@:2}"; then say "ok: $1"; else
        echo "FAILED: $1" >&2
        failures+=("$1")
    fi
}

# remove_volumes PROJECT: what `down -v` left; podman-compose has been seen to leave them all.
remove_volumes() { docker volume ls -q | grep "^$1_" | xargs -r docker volume rm > /dev/null 2>&1 || true; }

teardown() {
    status=$?
    [ "$status" -eq 0 ] || compose logs --tail 30 2>&1 | tail -n 150 || true
    say "tearing down (down -v)"
    compose down -v > /dev/null 2>&1 || true
    remove_volumes "$project"
    [ -z "$verdict" ] || echo "$verdict" >&2 # last, below the logs
    exit "$status"
}
trap teardown EXIT

# Docker runs health checks on a timer; podman without systemd (the lab) runs one when asked.
if docker --version | grep -qi podman; then
    healthy() { docker healthcheck run "$1" > /dev/null 2>&1; }
else
    healthy() { [ "$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1")" = healthy ]; }
fi

wait_until_healthy() { # wait_until_healthy N: N containers (proxy, api replicas, scheduler, db, redis, sandbox)
    local deadline=$((SECONDS + 300)) containers pending
    while :; do
        containers=$(docker ps -q --filter "label=com.docker.compose.project=$project")
        pending=$([ "$(wc -w <<< "$containers")" -eq "$1" ] && echo 0 || echo 1)
        for container in $containers; do healthy "$container" || pending=$((pending + 1)); done
        [ "$pending" -eq 0 ] && return
        [ "$SECONDS" -lt "$deadline" ] || die "the services were not all healthy in 300 s"
        sleep 2
    done
}

manage() { compose exec -T api python manage.py "$@"; }
article_count() { manage shell -c "from articles.models import Article; print(Article.objects.count())" | tail -n 1; }
at_least_articles() { # at_least_articles N: wait up to a minute for N articles in the database
    for _ in $(seq 30); do
        articles=$(article_count 2> /dev/null) || articles=0
        [ "${articles:-0}" -ge "$1" ] && return
        sleep 2
    done
    return 1
}
new_key() { # new_key NAME: a new API key in $made, or the end of the run, saying why
    local errors
    errors=$(mktemp)
    for _ in 1 2 3; do # the container network's DNS has been seen to fail for a moment after `up`
        made=$(manage create_api_key "$1" 2> "$errors" | tail -n 1) || true
        [ -n "$made" ] && break
        sleep 2
    done
    [ -n "$made" ] || die "create_api_key printed no key: $(tail -n 1 "$errors")"
    rm -f "$errors"
}
start_with_a_key() { # start_with_a_key NAME: build, start from nothing (one api replica), a new key in $key
    build
    compose down -v > /dev/null 2>&1 || true
    quietly compose up -d || die "docker compose up"
    wait_until_healthy 6
    new_key "$1"
    key=$made
}
# fetch PATH [curl options...]: the status line and headers, then the body.
# A request that fails prints curl's reason instead: the check that reads it says what went wrong.
fetch() { curl --silent --show-error --include --max-time 10 "${@:2}" "$base$1" 2>&1 | tr -d '\r' || true; }
has() { grep -q -- "$2" <<< "$1"; }
# reader_figures FILE: hey's summary, as "N requests, X req/s, M non-2xx, E errors".
reader_figures() {
    awk '/Requests\/sec:/ { rate = $2 }
        /Error distribution/ { e = 1; next }
        e && match($0, /\[[0-9]+\]/) { errors += substr($0, RSTART + 1, RLENGTH - 2); next }
        /responses/ && match($0, /\[[0-9][0-9][0-9]\]/) { n += $2; if (substr($0, RSTART + 1, 1) != "2") bad += $2 }
        END { printf "%d requests, %.1f req/s, %d non-2xx, %d errors\n", n + errors, rate, bad, errors }' "$1"
}
ok_answers() { awk '/\[200\]/ && /responses/ { print $2; found = 1 } END { if (!found) print 0 }' "$1"; }
