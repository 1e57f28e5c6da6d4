#!/usr/bin/env bash
# The image's entrypoint: for the server, wait for the database and apply the migrations
# (one container at a time: replicas starting together migrate once), then run the
# command (gunicorn by default, deploy/scheduler.sh, or any manage.py command).
set -o errexit -o nounset -o pipefail

# compose.yaml names the demo profile's sandbox upstream in DEMO_SANDBOX_HOST: when that
# host is on this network (the demo profile is up), fetch from it, offline, with
# placeholder keys (it accepts any). Elsewhere (Kubernetes, plain docker run) it is unset.
if [ -n "${DEMO_SANDBOX_HOST:-}" ] && getent hosts "$DEMO_SANDBOX_HOST" > /dev/null; then
    export NEWSAPI_BASE_URL=http://$DEMO_SANDBOX_HOST:8001 GUARDIAN_BASE_URL=http://$DEMO_SANDBOX_HOST:8001
    export NEWSAPI_KEY=sandbox GUARDIAN_API_KEY=sandbox
    export GUARDIAN_REQUESTS_PER_SECOND=0 # the sandbox has no rate limit to respect
    echo "entrypoint: demo profile, fetching from the sandbox upstream at http://$DEMO_SANDBOX_HOST:8001" >&2
fi

# The migrations: before the api's server (the default command) and wherever MIGRATE=true
# (compose's scheduler), never before a one-off command such as `manage.py check`, which
# may be pointed at a database that the running release still serves.
if [ "${1:-}" = gunicorn ] || [ "${MIGRATE:-}" = true ]; then
    python manage.py migrate_once
fi
exec "$@"
