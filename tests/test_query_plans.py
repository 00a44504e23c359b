"""Queries that grow with the site, not with the country (ADR 0023): the indexes the staff lists
need exist, and on PostgreSQL the plans use them. Sequential scans are switched off in the plan
tests so that a few test rows cannot hide a missing index: the planner must then find an index
that serves the filter and the order, or fall back to a sort, which the tests refuse. The people
and inbox plans are read over a thousand analysed rows: on an empty table every index costs the same
and the planner's choice depends on what the statistics last said."""

import pytest
from django.db import connection

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.referrals.models import Referral

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans and trigram indexes: PostgreSQL"
)


def indexes_of(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: c for name, c in constraints.items() if c["index"]}


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _many_people(site, count: int = 1000) -> None:
    """`count` files at `site`, then ANALYZE (both inside the test's transaction)."""
    people = [
        Beneficiary(
            reception_point=site,
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:05d}",
            search_name=f"nom{i:05d} prenom{i}",
            birth_year=1960 + i % 40,
            has_no_phone=True,
            housing="housed",
            access_ends_on=f"2026-{1 + i % 12:02d}-15",
        )
        for i in range(count)
    ]
    Beneficiary.objects.bulk_create(people, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Beneficiary._meta.db_table}")


def _many_referrals(world, count: int = 1000) -> None:
    """`count` referrals to `world.site_a`, then ANALYZE (inside the test's transaction)."""
    from django.utils import timezone

    now = timezone.now()
    referrals = [
        Referral(
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:05d}",
            search_name=f"nom{i:05d} prenom{i}",
            birth_year=1960 + i % 40,
            has_no_phone=True,
            housing="housed",
            reason="Démarches en ligne.",
            needs_connect=True,
            consent_given_at=now,
            partner_structure=world.structure_a,
            referent=world.users["lead_referent"],
            reception_point=world.site_a,
        )
        for i in range(count)
    ]
    Referral.objects.bulk_create(referrals, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Referral._meta.db_table}")


@pytest.mark.django_db
def test_the_people_list_has_an_index_for_its_order_and_one_for_the_access_filter():
    indexes = indexes_of(Beneficiary)
    assert indexes["beneficiary_site_name_order"]["columns"] == [
        "reception_point_id",
        "last_name",
        "first_name",
        "id",
    ]
    assert indexes["beneficiary_site_access_end"]["columns"] == [
        "reception_point_id",
        "access_ends_on",
    ]


@pytest.mark.django_db
def test_the_inbox_has_an_index_on_site_and_date():
    assert indexes_of(Referral)["referral_site_created"]["columns"] == [
        "reception_point_id",
        "created_at",
        "id",
    ]


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_the_connection_runs_without_jit():
    """JIT compiling costs more than the short queries of a page (17 ms for a 2 ms query)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=False)
def test_the_inbox_of_all_statuses_reads_the_site_in_date_order_without_sorting(world):
    _many_referrals(world)
    qs = Referral.objects.filter(reception_point=world.site_a).order_by("created_at")[:26]
    text = plan(qs)
    assert "referral_site_created" in text and "Sort" not in text, text
    newest_first = Referral.objects.filter(reception_point=world.site_a).order_by(
        "-created_at", "-id"
    )[:26]
    text = plan(newest_first)
    assert "referral_site_created" in text and "Sort" not in text, text


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_the_people_list_reads_the_site_in_name_order_without_sorting(world):
    _many_people(world.site_a)
    qs = Beneficiary.objects.filter(reception_point=world.site_a, merged_into__isnull=True)
    text = plan(qs.order_by("last_name", "first_name")[:26])
    assert "beneficiary_site_name_order" in text and "Sort" not in text, text


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_the_active_access_filter_uses_the_site_and_access_end_index(world):
    _many_people(world.site_a)
    qs = Beneficiary.objects.filter(reception_point=world.site_a, access_ends_on__gt="2026-01-01")
    assert "beneficiary_site_access_end" in plan(qs.order_by("access_ends_on")[:26])


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_name_searches_narrow_to_the_site_inside_the_trigram_index():
    """One GIN index on (site, trigrams of the name), so that a search reads the site's matches
    only (the plans at a million people are in bench/README.md); no national one is left for
    the planner to prefer."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE %s",
            ["%gin_trgm_ops%"],
        )
        definitions = dict(cursor.fetchall())
    expected = {
        "beneficiary_site_search_trgm": "gin (reception_point_id, search_name gin_trgm_ops)",
        "referral_site_search_trgm": "gin (reception_point_id, search_name gin_trgm_ops)",
        "referral_structure_search_trgm": "gin (partner_structure_id, search_name gin_trgm_ops)",
    }
    for name, definition in expected.items():
        assert definition in definitions[name]
    assert "beneficiary_search_name_trgm" not in definitions
    assert "referral_search_name_trgm" not in definitions


def _without_btrees(table: str) -> None:
    """Drop (inside the test's transaction) the table's non-unique btree indexes, so that the
    plan of a few test rows shows whether the trigram index itself narrows to the site."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s "
            "AND indexdef NOT LIKE %s",
            [table, "%USING btree%", "CREATE UNIQUE%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_the_pages_search_queries_give_the_site_to_the_trigram_index(world):
    """The site id must reach the GIN index with its own type (bigint): btree_gin has no
    cross-type operator, and `reception_point_id = 1` (an integer) would leave the site out of
    the index and read every match of the country."""
    from solidarnum.accounts.scope import resolve_scope
    from solidarnum.beneficiaries.selectors import beneficiary_rows
    from solidarnum.referrals.selectors import referrals_for

    scope = resolve_scope(world.users["staff_a"], None)
    cases = [
        (beneficiary_rows(scope), Beneficiary, "beneficiary_site_search_trgm"),
        (referrals_for(scope), Referral, "referral_site_search_trgm"),
    ]
    with connection.cursor() as cursor:  # its twin on the structure, as cheap on empty tables
        cursor.execute("DROP INDEX referral_structure_search_trgm")
    for queryset, model, index in cases:
        _without_btrees(model._meta.db_table)
        text = plan(queryset.filter(search_name__contains="martin"))
        assert index in text, text
        after_index = text[text.index(index) :].splitlines()
        condition = next(line for line in after_index if "Index Cond" in line)
        assert "reception_point_id" in condition and "search_name" in condition, text
