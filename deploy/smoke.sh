#!/usr/bin/env bash
# The image and compose.yaml end to end, as a user runs them: build; without secrets nor
# the demo profile, the refusal and its sentence; `up` with the demo profile as on a fresh
# clone (offline, no keys, no .env: development-only secrets), every service healthy, an
# API key, articles, the list twice (X-Cache: MISS then HIT), the admin, the docs and
# readiness with DEBUG off, the API read (`hey`) alone and during slow-header connections
# and a flood of wrong admin logins (deploy/attack.py), the data and the generated key
# still there after `down` and `up`; then from nothing, with secrets in the environment as
# .env gives them, and three api replicas behind the proxy: migrations once, one cache, one
# rate limit, one scheduler, one fetch at a time, a replica stopped under load (`hey`)
# costing no request and rejoining; then `down -v`, also on failure. Works with Docker and
# with the container lab's podman stand-in. Needs curl, hey and python3. API_PORT: the host
# port (default 18000). A failed check prints one line, `FAILED: <check>`; the rest still run.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

project=news-smoke
export API_RATE_LIMIT=100000/min # the reader below is one key; the replicas' part lowers it
# shellcheck source=deploy/stack.sh
. deploy/stack.sh

started=$SECONDS
build
say "built in $((SECONDS - started)) s"

# Without the demo profile, no .env and no secrets: the secrets service (which the rest waits
# for) refuses, saying what to set. `run` rather than `up`: podman-compose would start the rest.
refused=$project-refused
unset SECRET_KEY POSTGRES_PASSWORD
refusal=$(docker compose --project-name "$refused" --env-file /dev/null run --rm secrets 2>&1) && refusal_status=0 || refusal_status=$?
docker compose --project-name "$refused" --env-file /dev/null down -v > /dev/null 2>&1 || true
remove_volumes "$refused"
check "without .env nor the demo profile, the stack refuses (exit $refusal_status), saying what to set" \
    has "$refusal" "^secrets: SECRET_KEY is not set: put it in .env beside compose.yaml"
[ "$refusal_status" -ne 0 ] || die "the secrets service exited 0 without secrets or the demo profile"

# The demo profile as a fresh clone runs it: no .env, no secrets in the environment.
compose down -v > /dev/null 2>&1 || true # what a previous, interrupted run left
started=$SECONDS
quietly compose up -d || die "docker compose up"
wait_until_healthy 6
say "all 6 services healthy $((SECONDS - started)) s after up, without .env"
check "the demo profile made development-only secrets" has "$(compose logs secrets 2>&1)" 'development-only'
proxy_log=$(compose logs proxy 2>&1)
check "the proxy's log says where to look and how to get an API key" has "$proxy_log" 'create_api_key NAME'
check "the proxy's log names the front page" has "$proxy_log" 'the front page at /'
secret_key_digest() {
    manage shell -c "import hashlib; from django.conf import settings; print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())" | tail -n 1
}
digest=$(secret_key_digest)

new_key smoke
key=$made
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
front=$(fetch /)
check "the front page answers 200" has "$front" '^HTTP/[0-9.]* 200'
check "the front page shows the top stories" has "$front" '<h1><a href="/">Top stories</a></h1>'
check "DEBUG is off (a 404 is JSON, not Django's debug page)" has "$(fetch /no-such-page/)" '^{"detail"'
ready=$(fetch /health/ready/)
check "/health/ready/ answers 200 with database and cache ok" has "$ready" '"status": "ok"'

if command -v hey > /dev/null; then
    # The API read through the proxy, alone, then while deploy/attack.py holds 20 connections that send
    # their headers a byte every 3 s and sends 200 wrong admin logins, 10 at a time, over 16 s.
    reader() { hey -z 10s -c 4 -H "X-Api-Key: $key" "$base$list" > "$1"; }
    before_attack=$(mktemp) during_attack=$(mktemp) attack_output=$(mktemp)
    reader "$before_attack"
    python3 deploy/attack.py "$base" --slow 20 --logins 200 --threads 10 --hold 16 > "$attack_output" 2>&1 &
    attack=$!
    sleep 2 # the connections are open and the logins under way
    reader "$during_attack"
    attack_status=0
    wait "$attack" || attack_status=$?
    attack_said=$(cat "$attack_output")
    say "the API read through the proxy (hey -z 10s -c 4 $list), alone: $(reader_figures "$before_attack")"
    say "... and during the attack: $(reader_figures "$during_attack")"
    sed "s/^/$project: attack: /" <<< "$attack_said"
    check "the API's reader still got 200s during the attack" test "$(ok_answers "$during_attack")" -gt 0
    rm -f "$before_attack" "$during_attack" "$attack_output"
    check "no wrong login sent after a lockout page was answered 200" test "$attack_status" -eq 0
    check "the service locked the user out (its 429 page)" has "$attack_said" ' [0-9][0-9]* lockout page (429)'
    check "the proxy's limit refused the rest of the flood (429)" has "$attack_said" ' [0-9][0-9]* proxy limit (429)'
fi

say "restarting the stack (down, then up: the volumes stay)"
quietly compose down || die "docker compose down"
started=$SECONDS
quietly compose up -d || die "docker compose up, the second time"
wait_until_healthy 6
say "all 6 services healthy again $((SECONDS - started)) s after up"
check "the articles survive down and up ($before before)" at_least_articles "$before"
check "the API key survives down and up" has "$(fetch "$list" -H "X-Api-Key: $key")" '^HTTP/[0-9.]* 200'
check "the generated SECRET_KEY survives down and up (sessions stay)" test -n "$digest" -a "$(secret_key_digest)" = "$digest"

say "from nothing again, with three api replicas behind the proxy (down -v, then up --scale api=3)"
quietly compose down -v || die "docker compose down -v"
started=$SECONDS
export API_RATE_LIMIT=30/min # low enough to see one limit across replicas (below)
random_secrets # as .env gives them
quietly compose up -d --scale api=3 || die "docker compose up --scale api=3"
wait_until_healthy 8 # the scheduler is healthy once a fetch has succeeded: no new articles from here on
say "all 8 containers healthy $((SECONDS - started)) s after up, with SECRET_KEY and POSTGRES_PASSWORD set"
check "the secrets came from the environment" has "$(compose logs secrets 2>&1)" 'from the environment'
replicas=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=api)
logs_of_replicas() { for replica in $replicas; do docker logs "$replica" 2>&1; done; }
migrations=$( (logs_of_replicas; compose logs scheduler) 2>&1 | grep -c 'Applying articles.0001_initial' || true)
check "four containers starting together migrated once" test "$migrations" -eq 1

new_key replicas
key=$made
answered_from_cache() { docker logs "$1" 2>&1 | grep -c "GET /api/articles/ 200 [0-9.]*ms cache=$2" || true; }
every_replica_hit() {
    for replica in $replicas; do [ "$(answered_from_cache "$replica" HIT)" -gt 0 ] || return 1; done
}
for _ in $(seq 60); do # nginx picks a replica at random: until each has answered from the cache
    fetch "$list" -H "X-Api-Key: $key" > /dev/null
    every_replica_hit && break
done
misses=$(for replica in $replicas; do answered_from_cache "$replica" MISS; done | awk '{ n += $1 } END { print n }')
one_miss_then_hits() { [ "$misses" -eq 1 ] && every_replica_hit; }
check "one cache for all replicas: one MISS in all ($misses), then a HIT on each of the three" one_miss_then_hits

new_key rate
rate_key=$made
[ $((60 - $(date +%s) % 60)) -gt 20 ] || sleep $((60 - $(date +%s) % 60)) # forty requests in one window
statuses=$(for _ in $(seq 40); do
    curl --silent --output /dev/null --write-out '%{http_code}\n' -H "X-Api-Key: $rate_key" "$base$list"
done | sort | uniq -c | tr -s ' ' | tr '\n' ',')
check "one rate limit across replicas: 30 of 40 answered, 10 refused (429) [$statuses]" \
    test "$statuses" = " 30 200, 10 429,"

check "one scheduler, however many api replicas" \
    test "$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=scheduler | wc -l)" -eq 1
# Another session holds the ingest lock, as a fetch_articles running elsewhere would, for 30 s.
lock_id=$(manage shell -c "from articles.locks import INGEST_LOCK_ID; print(INGEST_LOCK_ID)" | tail -n 1)
compose exec -T db psql --username news --dbname news --quiet \
    --command "SELECT pg_advisory_lock($lock_id), pg_sleep(30)" > /dev/null 2>&1 &
holder=$!
sleep 3
set -- $replicas
second=$(docker exec "$1" deploy/entrypoint.sh python manage.py fetch_articles -v 0 2>&1) || true
kill "$holder" 2> /dev/null || true
check "a fetch while another holds the ingest lock does nothing, and says so" \
    has "$second" "Another fetch_articles run holds the ingest lock"

if command -v hey > /dev/null; then
    hey_output=$(mktemp)
    hey -z 12s -c 10 "$base/health/" > "$hey_output" &
    load=$!
    sleep 3
    quietly docker stop "$2" || die "docker stop a replica"
    sleep 4
    quietly docker start "$2" || die "docker start the replica again"
    wait "$load"
    answered=$(awk '/responses/ && /\[[0-9][0-9][0-9]\]/' "$hey_output" | tr -s ' \t' ' ' | paste -sd,)
    not_ok=$(awk '/responses/ && match($0, /\[[0-9][0-9][0-9]\]/) && substr($0, RSTART + 1, 3) != "200"' "$hey_output")
    errors=$(awk '/Error distribution/ { e = 1; next } e && match($0, /\[[0-9]+\]/) { n += substr($0, RSTART + 1, RLENGTH - 2) } END { print n + 0 }' "$hey_output")
    rm -f "$hey_output"
    check "a replica stopped under load costs no failed request (${answered}; ${errors} errors)" \
        test -z "$not_ok" -a "$errors" -eq 0
    for _ in $(seq 30); do healthy "$2" && break; sleep 2; done
    ready_answered() { docker logs "$1" 2>&1 | grep -c 'GET /health/ready/ 200' || true; }
    before_rejoin=$(ready_answered "$2")
    rejoined() { [ "$(ready_answered "$2")" -gt "$before_rejoin" ]; }
    for _ in $(seq 60); do # the proxy sees it again within 5 s; then a random pick reaches it
        fetch /health/ready/ > /dev/null
        rejoined "$@" && break
        sleep 0.2
    done
    check "the stopped replica rejoins once started" rejoined "$@"
else
    echo "FAILED: hey is not installed (apt-get install hey): a replica stopped under load was not tried" >&2
    failures+=("hey missing")
fi

if [ "${#failures[@]}" -gt 0 ]; then
    joined=$(printf '%s; ' "${failures[@]}")
    die "${#failures[@]} check(s): ${joined%; }"
fi
say "every check passed"
