#!/usr/bin/env bash
# Fuzz the partner API with schemathesis, every check on: a server of its own on the demo data
# (a fresh SQLite database under var/schemathesis/, or ST_DATABASE_URL), a référent's token.
# Usage: scripts/schemathesis.sh [more schemathesis options], or `make schemathesis`.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${ST_PORT:-8089}"
EXAMPLES="${ST_EXAMPLES:-1000}"
WORKDIR=var/schemathesis
PYTHON=.venv/bin/python

rm -rf "$WORKDIR"
mkdir -p "$WORKDIR"
export DJANGO_DEBUG=1 SOLIDARNUM_MFA_REQUIRED=0
export DATABASE_URL="${ST_DATABASE_URL:-sqlite:///$PWD/$WORKDIR/db.sqlite3}"
# The rate limits have their own tests; here they would only turn the campaign into 429s.
export SOLIDARNUM_API_RATE_PER_MINUTE=1000000 SOLIDARNUM_API_RATE_PER_ADDRESS_PER_MINUTE=1000000

"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py seed_demo > "$WORKDIR/seed.log"
KEY=$("$PYTHON" manage.py shell -v0 -c '
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.api.services import create_api_token

membership = (
    Membership.objects.active()
    .filter(role=Role.REFERENT, partner_structure__is_active=True)
    .select_related("user", "partner_structure")
    .order_by("pk")
    .first()
)
_token, key = create_api_token(
    acting_user=membership.user, partner_structure=membership.partner_structure, name="schemathesis"
)
print(key)
' | tail -n 1)

"$PYTHON" manage.py runserver "127.0.0.1:$PORT" --noreload > "$WORKDIR/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT

.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/schema/" \
    --wait-for-schema 60 \
    --checks all \
    --max-examples "$EXAMPLES" \
    --workers 1 \
    --header "Authorization: Token $KEY" \
    --report junit --report-dir "$WORKDIR" \
    "$@"
