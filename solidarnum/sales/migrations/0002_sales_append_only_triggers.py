"""Sales, their lines, code swaps, refunds and receipts are append-only in the database itself.

PostgreSQL: UPDATE and DELETE are refused by triggers (TRUNCATE stays possible for an operator
with database rights and for test database resets). SQLite (local demo): UPDATE is refused;
DELETE stays possible because Django's test flush deletes rows.
"""

from django.db import migrations

TABLES = [
    "sales_sale",
    "sales_saleline",
    "sales_codeswap",
    "sales_refund",
    "sales_refundline",
    "sales_receipt",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sales_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in TABLES:
            for op in ("update", "delete"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION sales_append_only();"
                )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for op in ("update", "delete"):
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table};")
            elif vendor == "sqlite" and op == "update":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS sales_append_only();")


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
