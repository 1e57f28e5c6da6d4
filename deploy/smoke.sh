#!/usr/bin/env bash
# The image and compose.yaml end to end, as a user runs them: build, `up` with the demo
# profile (offline, no keys), every service healthy, an API key, articles, the list twice
# (X-Cache: MISS then HIT), the admin, the docs and readiness with DEBUG off, the data
# still there after `down` and `up`; then `down -v`, also on failure. Works with Docker
# and with the container lab's podman stand-in. Needs curl. API_PORT: the host port
# (default 18000). A failed check prints one line, `FAILED: <check>`; the rest still run.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

export API_PORT=${API_PORT:-18000}
base=http://127.0.0.1:$API_PORT
project=news-smoke # its own containers and volumes: a stack already running is left alone
# This run's secrets: random, in this process's environment only.
SECRET_KEY=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
POSTGRES_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export SECRET_KEY POSTGRES_PASSWORD

compose() { docker compose --project-name "$project" --profile demo "$@"; }
say() { echo "smoke: $*"; }
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

teardown() {
    status=$?
    [ "$status" -eq 0 ] || compose logs --tail 30 2>&1 | tail -n 150 || true
    say "tearing down (down -v)"
    compose down -v > /dev/null 2>&1 || true
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

wait_until_healthy() { # every service of the demo profile: api, scheduler, db, redis, sandbox
    local deadline=$((SECONDS + 300)) containers pending
    while :; do
        containers=$(docker ps -q --filter "label=com.docker.compose.project=$project")
        pending=$([ "$(wc -w <<< "$containers")" -eq 5 ] && echo 0 || echo 1)
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
# fetch PATH [curl options...]: the status line and headers, then the body.
fetch() { curl --silent --show-error --include --max-time 10 "${@:2}" "$base$1" | tr -d '\r'; }
has() { grep -q -- "$2" <<< "$1"; }

started=$SECONDS
quietly nice -n 10 docker compose --project-name "$project" --profile demo build || die "docker compose build" # yields the CPU to other work
say "built in $((SECONDS - started)) s"

compose down -v > /dev/null 2>&1 || true # what a previous, interrupted run left
started=$SECONDS
quietly compose up -d || die "docker compose up"
wait_until_healthy
say "all 5 services healthy $((SECONDS - started)) s after up"

key=$(manage create_api_key smoke 2> /dev/null | tail -n 1)
[ -n "$key" ] || die "create_api_key printed no key"
say "created an API key"

at_least_articles 1 || die "no articles a minute after the services were healthy"
say "$articles articles fetched from the sandbox"
before=$articles

list=/api/articles/?limit=5
first=$(fetch "$list" -H "X-Api-Key: $key")
second=$(fetch "$list" -H "X-Api-Key: $key")
check "the article list answers 200" has "$first" '^HTTP/[0-9.]* 200'
check "the article list needs a key (401 without one)" has "$(fetch "$list")" '^HTTP/[0-9.]* 401'
check "the first list call is a cache miss (X-Cache: MISS)" has "${first,,}" '^x-cache: miss'
check "the second list call is a cache hit (X-Cache: HIT)" has "${second,,}" '^x-cache: hit'

login=$(fetch /admin/login/)
check "the admin login page answers 200" has "$login" '^HTTP/[0-9.]* 200'
check "the admin's CSS is served (whitenoise)" has "$(fetch /static/admin/css/base.css --head)" '^HTTP/[0-9.]* 200'
check "the API docs answer 200" has "$(fetch /api/docs/)" '^HTTP/[0-9.]* 200'
check "DEBUG is off (a 404 is JSON, not Django's debug page)" has "$(fetch /no-such-page/)" '^{"detail"'
ready=$(fetch /health/ready/)
check "/health/ready/ answers 200 with database and cache ok" has "$ready" '"status": "ok"'

say "restarting the stack (down, then up: the volumes stay)"
quietly compose down || die "docker compose down"
started=$SECONDS
quietly compose up -d || die "docker compose up, the second time"
wait_until_healthy
say "all 5 services healthy again $((SECONDS - started)) s after up"
check "the articles survive down and up ($before before)" at_least_articles "$before"
check "the API key survives down and up" has "$(fetch "$list" -H "X-Api-Key: $key")" '^HTTP/[0-9.]* 200'

if [ "${#failures[@]}" -gt 0 ]; then
    joined=$(printf '%s; ' "${failures[@]}")
    die "${#failures[@]} check(s): ${joined%; }"
fi
say "every check passed"
