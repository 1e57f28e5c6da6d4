#!/usr/bin/env bash
# The image's entrypoint: wait for the database, apply the migrations (one container
# at a time: replicas starting together migrate once), then run the command
# (gunicorn by default, deploy/scheduler.sh, or any manage.py command).
set -o errexit -o nounset -o pipefail

# compose.yaml's demo profile runs the sandbox upstream as `sandbox`: when it is on this
# network, fetch from it, offline, with placeholder keys (it accepts any).
if getent hosts sandbox > /dev/null; then
    export NEWSAPI_BASE_URL=http://sandbox:8001 GUARDIAN_BASE_URL=http://sandbox:8001
    export NEWSAPI_KEY=sandbox GUARDIAN_API_KEY=sandbox
    export GUARDIAN_REQUESTS_PER_SECOND=0 # the sandbox has no rate limit to respect
    echo "entrypoint: demo profile, fetching from the sandbox upstream at http://sandbox:8001" >&2
fi

python manage.py migrate_once
exec "$@"
