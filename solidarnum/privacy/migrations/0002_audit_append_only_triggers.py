"""Make the audit trail append-only in the database itself.

PostgreSQL (production): UPDATE and DELETE are refused by triggers. TRUNCATE stays possible for
an operator with database rights (and for test database resets).
SQLite (local demo): UPDATE is refused; DELETE stays possible because Django's test flush
deletes rows.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
CREATE TRIGGER privacy_auditevent_no_delete BEFORE DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS privacy_auditevent_no_update ON privacy_auditevent;
DROP TRIGGER IF EXISTS privacy_auditevent_no_delete ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
BEGIN
    SELECT RAISE(ABORT, 'privacy_auditevent is append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS privacy_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
