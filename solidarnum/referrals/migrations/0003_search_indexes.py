"""Trigram indexes for searching names with `search_name__contains` (LIKE '%...%').

PostgreSQL only: SQLite has no trigram index and scans the site's rows, which is enough there.
Built CONCURRENTLY (hence a non-atomic migration) so that the tables stay writable meanwhile.
The pg_trgm extension is left in place on reverse: other indexes may use it.
"""

from django.db import migrations

INDEXES = [
    ("referral_search_name_trgm", "referrals_referral"),
    ("beneficiary_search_name_trgm", "beneficiaries_beneficiary"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin (search_name gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("referrals", "0002_refusal_reasons"),
        ("beneficiaries", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
