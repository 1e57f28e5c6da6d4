#!/usr/bin/env bash
# `make run`: the service on this machine, offline. The sandbox upstream stands in
# for NewsAPI and the Guardian, fills the database, and the development server
# serves it on http://127.0.0.1:${PORT:-8000}. Ctrl-C stops both.
set -o errexit -o nounset -o pipefail
cd "$(dirname "$0")/.."

python=.venv/bin/python
port=${PORT:-8000}
sandbox_port=${SANDBOX_PORT:-8001}

export DEBUG=true
export SILK_ENABLED=true # the profiler at /silk/, for the admin user
# One key for this demo's processes, so the admin session survives the server's reloads.
SECRET_KEY=$($python -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export NEWSAPI_BASE_URL=http://127.0.0.1:$sandbox_port GUARDIAN_BASE_URL=http://127.0.0.1:$sandbox_port
export NEWSAPI_KEY=sandbox GUARDIAN_API_KEY=sandbox
export GUARDIAN_REQUESTS_PER_SECOND=0 # the sandbox has no rate limit to respect
export FEEDS_ALLOW_PRIVATE=true # the sandbox's feeds are on this machine

$python manage.py migrate --noinput --verbosity 0
$python manage.py collectstatic --noinput --verbosity 0

$python manage.py run_sandbox --port "$sandbox_port" --latency-ms 50 > /dev/null &
sandbox_pid=$!
trap 'kill $sandbox_pid 2> /dev/null || true' EXIT
for _ in $(seq 50); do
    $python -c "import socket; socket.create_connection(('127.0.0.1', $sandbox_port), 0.2)" 2> /dev/null && break
    kill -0 $sandbox_pid 2> /dev/null || { echo "The sandbox could not start on port $sandbox_port (set SANDBOX_PORT)." >&2; exit 1; }
    sleep 0.2
done

# A handful of the sandbox's publishers' feeds, subscribed as a reader would: from an OPML file.
opml=$(mktemp)
$python -c "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())" \
    "http://127.0.0.1:$sandbox_port/feeds/demo.opml" > "$opml"
$python manage.py import_opml "$opml"
rm "$opml"

$python manage.py fetch_articles

{ read -r password; read -r key; } < <($python manage.py prepare_demo)

cat <<BANNER

  The news service is up on http://127.0.0.1:$port
  API:    curl -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/articles/?category=technology&limit=5"
  Cache:  curl -H "Authorization: Bearer $key" http://127.0.0.1:$port/api/cache/stats/   (X-Cache says HIT or MISS on each answer)
  Front:  http://127.0.0.1:$port/   (today's top stories, for people to read)
  Docs:   http://127.0.0.1:$port/api/docs/
  Silk:   http://127.0.0.1:$port/silk/   (where the time goes, request by request: log in to the admin first)
  Admin:  http://127.0.0.1:$port/admin/   user admin, password $password
  (a new password and API key each run; the previous demo key is revoked)

BANNER
$python manage.py runserver "127.0.0.1:$port"
