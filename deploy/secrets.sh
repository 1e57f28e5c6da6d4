#!/usr/bin/env bash
# compose.yaml's `secrets` service: runs once, before db, api and scheduler, and writes
# SECRET_KEY and POSTGRES_PASSWORD into the `secrets` volume ($SECRETS_DIR), where the app
# reads them (SECRET_KEY_FILE, PGPASSFILE) and the db its password.
#   - set in the environment (.env): those values, always (production);
#   - else, when the demo profile's sandbox ($DEMO_SANDBOX_HOST) is on this network: the
#     development-only ones already in the volume, or new random ones (a restart keeps
#     sessions and data; `down -v` forgets them);
#   - else: exit 1, saying what to set. Production never gets generated values.
set -o errexit -o nounset -o pipefail

dir=${SECRETS_DIR:?}
wait_for_sandbox=${DEMO_SANDBOX_WAIT:-20} # seconds: compose may start the sandbox after this service
app_user=10001                            # the image's `app` user (Dockerfile): it reads secret_key and pgpass
umask 077

random() { python -c "import secrets; print(secrets.token_$1)"; }
sandbox_on_network() {
    [ -n "${DEMO_SANDBOX_HOST:-}" ] || return 1
    for _ in $(seq "$wait_for_sandbox"); do
        getent hosts "$DEMO_SANDBOX_HOST" > /dev/null && return
        sleep 1
    done
    return 1
}

secret_key=${SECRET_KEY:-}
password=${POSTGRES_PASSWORD:-}
if [ -n "$secret_key" ] && [ -n "$password" ]; then
    origin="from the environment (.env)"
elif sandbox_on_network; then
    [ -n "$secret_key" ] || secret_key=$(cat "$dir/secret_key" 2> /dev/null || random 'urlsafe(50)')
    [ -n "$password" ] || password=$(cat "$dir/postgres_password" 2> /dev/null || random 'hex(24)')
    origin="development-only, for the demo profile (kept in the secrets volume until down -v; never for production)"
else
    for name in SECRET_KEY POSTGRES_PASSWORD; do
        [ -z "${!name:-}" ] || continue
        echo "secrets: $name is not set: put it in .env beside compose.yaml (make one with" \
            "python3 -c 'import secrets; print(secrets.token_hex(32))'), or try the demo profile: docker compose --profile demo up" >&2
    done
    exit 1
fi

write() { # write FILE OWNER TEXT: whole or not at all
    printf '%s\n' "$3" > "$dir/$1.new"
    chown "$2" "$dir/$1.new"
    mv "$dir/$1.new" "$dir/$1"
}
write secret_key "$app_user" "$secret_key"
write postgres_password 0 "$password"
# libpq's password file (PGPASSFILE) for the app: host:port:database:user:password, ':' and '\' escaped.
escaped=${password//\\/\\\\}
write pgpass "$app_user" "*:*:*:*:${escaped//:/\\:}"
echo "secrets: SECRET_KEY and POSTGRES_PASSWORD $origin"
