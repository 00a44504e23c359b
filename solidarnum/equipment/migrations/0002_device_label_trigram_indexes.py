"""Trigram indexes for the device search by brand or model words (`icontains`).

Django writes `icontains` on PostgreSQL as `UPPER(col::text) LIKE UPPER('%word%')`; the indexes
are on that exact expression. PostgreSQL only (SQLite scans, which is fine at its scale). Built
CONCURRENTLY, hence a non-atomic migration.
"""

from django.db import migrations

INDEXES = [
    ("device_brand_trgm", "brand"),
    ("device_model_name_trgm", "model_name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON equipment_device USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("equipment", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
