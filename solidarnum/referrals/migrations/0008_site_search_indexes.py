"""Name searches narrowed to the site inside the trigram index (ADR 0023).

The national trigram indexes of 0003 gave every "martin" of the country (13,000 rows at a
million people) before the site filter kept its few dozen. One GIN index on (site, trigrams of
the name), through btree_gin, reads the site's matches only; the référent's list gets the same
on (structure, trigrams). The national indexes go: no page searches names across sites.
PostgreSQL only (SQLite scans the site's rows, which is enough there); built CONCURRENTLY so
that the tables stay writable, hence a non-atomic migration.
"""

from django.db import migrations

INDEXES = [
    ("beneficiary_site_search_trgm", "beneficiaries_beneficiary", "reception_point_id"),
    ("referral_site_search_trgm", "referrals_referral", "reception_point_id"),
    ("referral_structure_search_trgm", "referrals_referral", "partner_structure_id"),
]
NATIONAL = [
    ("referral_search_name_trgm", "referrals_referral"),
    ("beneficiary_search_name_trgm", "beneficiaries_beneficiary"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin ({column}, search_name gin_trgm_ops)"
        )
    for name, _table in NATIONAL:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in NATIONAL:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin (search_name gin_trgm_ops)"
        )
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("referrals", "0007_referral_site_created_index"),
        ("beneficiaries", "0005_fill_access_ends_on"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
