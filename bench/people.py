"""People's files at national scale: files, referrals, access periods, timeline and audit rows.

`generate_people(target)` grows the bench volume to `target` files, one chunk at a time, each
chunk in its own transaction: an interrupted run resumes where it stopped, and a later run with
a larger `--people` adds the difference (100,000 first, then up to 1,000,000 on the same
database). Rows are written by INSERT … SELECT over a counter (generate_series on PostgreSQL, a
recursive CTE on SQLite): a million files and their referrals take minutes, not hours.

Person i (0, 1, 2, …) lives at site i % sites and was referred by one of that site's partner
structures (one referral in eight by a structure of another site). Its phone number encodes i
(+33 6xx xx xx xx), which is how the later statements find the rows of the chunk.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary, TimelineEntry
from solidarnum.network.models import PartnerStructure, ReceptionPoint
from solidarnum.privacy.models import AuditEvent
from solidarnum.referrals.models import REFERENCE_ALPHABET, Referral, RefusalReason

CHUNK = 100_000
PHONE_BASE = 600_000_000  # person i has the phone +33 (600000000 + i): +336xxxxxxxx
BENCH_NOTE = "bench"  # contact_notes of the generated files: how they are counted
# 75 family names: "martin" is one in 75, about 13,000 people nationally at a million.
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefevre",
    "Faure",
    "Andre",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Francois",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clement",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noel",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Riviere",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gerard",
    "Roche",
    "Renard",
    "Schmitt",
    "Diallo",
]
FIRST_NAMES = [
    "Awa",
    "Jean",
    "Marie",
    "Pierre",
    "Nathalie",
    "Michel",
    "Isabelle",
    "Philippe",
    "Sylvie",
    "Alain",
    "Catherine",
    "Patrick",
    "Francoise",
    "Nicolas",
    "Sandrine",
    "Christophe",
    "Valerie",
    "Mohamed",
    "Fatou",
    "Olivier",
    "Christine",
    "Eric",
    "Sophie",
    "Laurent",
    "Celine",
    "Frederic",
    "Aurelie",
    "Stephane",
    "Julie",
    "David",
    "Emilie",
    "Julien",
    "Karim",
    "Amina",
    "Yasmine",
    "Ibrahim",
    "Olga",
    "Oksana",
    "Ahmad",
    "Zahra",
    "Mariam",
    "Sekou",
    "Moussa",
    "Aminata",
    "Kevin",
    "Lea",
    "Chloe",
    "Lucas",
    "Hugo",
    "Manon",
]
HOUSING = ["street", "sheltered", "precarious", "housed"]
PROFILES = ["", "advanced", "beginner", "excluded"]
EXITS = ["autonomous", "period_ended", "moved_away", "unreachable", "other"]
# Referral i has the status STATUSES[i % 20]: mostly validated (a file), some pending.
STATUSES = ["validated"] * 14 + ["open", "open", "under_review", "refused", "expired", "expired"]
AGE_DAYS = 1000  # files were opened over the last thousand days
ACCESS_DAYS = 548  # the 18 months of the access period


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


class Dialect:
    """The few expressions PostgreSQL and SQLite write differently."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def counter(self, start: int, stop: int) -> str:
        """A CTE `n(i)` counting from start to stop - 1."""
        if self.pg:
            return f"n(i) AS (SELECT generate_series({start}, {stop - 1}))"
        last = stop - 1
        return f"n(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM n WHERE i < {last})"  # noqa: S608

    def pick(self, expression: str, values: list[str]) -> str:
        """values[expression % len(values)]."""
        if self.pg:
            return f"(ARRAY[{_sql_list(values)}])[({expression}) %% {len(values)} + 1]"
        whens = " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(values))
        return f"(CASE ({expression}) %% {len(values)} {whens} END)"

    def uuid(self) -> str:
        return "gen_random_uuid()" if self.pg else "lower(hex(randomblob(16)))"

    def days_before(self, param: str, days: str) -> str:
        """The timestamp `param` minus `days` days."""
        if self.pg:
            return f"(CAST({param} AS timestamptz) - ({days}) * interval '1 day')"
        return f"datetime({param}, '-' || ({days}) || ' days')"

    def date_of(self, expression: str, plus_days: str = "0") -> str:
        if self.pg:
            return f"(CAST({expression} AS date) + ({plus_days}))"
        return f"date({expression}, '+' || ({plus_days}) || ' days')"

    def analyze(self, cursor: Any, table: str) -> None:
        """Fresh row estimates for the next statement's joins (the rows just written count)."""
        if self.pg:
            cursor.execute(f"ANALYZE {table}")

    def json(self, literal: str) -> str:
        return f"CAST('{literal}' AS jsonb)" if self.pg else f"'{literal}'"

    def text(self, expression: str) -> str:
        return f"CAST({expression} AS VARCHAR(20))"

    def person_index(self, phone_column: str) -> str:
        """i, read back from the phone number +33 (600000000 + i)."""
        return f"(CAST(substr({phone_column}, 4) AS INTEGER) - {PHONE_BASE})"


def referents_by_structure() -> None:
    """One référent for each bench structure (the structures come from run.generate)."""
    structures = list(
        PartnerStructure.objects.filter(name__startswith="Bench structure ")
        .exclude(memberships__role=Role.REFERENT)
        .order_by("pk")
    )
    users = User.objects.bulk_create(
        User(email=f"bench-referent{s.pk}@example.org", first_name="Bench", last_name=f"R{s.pk}")
        for s in structures
    )
    Membership.objects.bulk_create(
        Membership(user=u, role=Role.REFERENT, partner_structure=s, is_lead=True)
        for u, s in zip(users, structures, strict=True)
    )


def bench_people() -> int:
    return Beneficiary.objects.filter(contact_notes=BENCH_NOTE).count()


def generate_people(target: int) -> None:
    """Grow the generated files to `target` (nothing to do when already there)."""
    done = bench_people()
    if done >= target:
        return
    referents_by_structure()
    if connection.vendor == "postgresql":  # row estimates for the joins below: hash joins
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Generating people's files {done:,} → {target:,}…", flush=True)  # noqa: T201
    started = time.perf_counter()
    now = timezone.now()
    start = done
    while start < target:
        stop = min(start + CHUNK, target)
        with transaction.atomic():
            _chunk(start, stop, now)
        print(  # noqa: T201
            f"  {stop:,} files ({time.perf_counter() - started:.0f} s)", flush=True
        )
        start = stop
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _tables() -> dict[str, str]:
    return {
        "person": Beneficiary._meta.db_table,
        "referral": Referral._meta.db_table,
        "period": AccessPeriod._meta.db_table,
        "entry": TimelineEntry._meta.db_table,
        "audit": AuditEvent._meta.db_table,
        "place": ReceptionPoint._meta.db_table,
        "structure": PartnerStructure._meta.db_table,
        "membership": Membership._meta.db_table,
    }


def _chunk(start: int, stop: int, now: datetime) -> None:
    d = Dialect()
    t = _tables()
    first_person = (Beneficiary.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    first_referral = (Referral.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    reason = RefusalReason.objects.order_by("pk").values_list("pk", flat=True).first()
    # Structure g belongs to site g % sites (run.generate): person i's structure is one of its
    # own site's, or (one in eight) any structure. Equality joins only: hash joins, seconds.
    sites = f"""
        sites AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM {t["place"]}
                  WHERE name LIKE 'Bench %%'),
        structures AS (
            SELECT s.id, m.user_id AS referent_id, ROW_NUMBER() OVER (ORDER BY s.id) - 1 AS rn
            FROM {t["structure"]} s
            JOIN {t["membership"]} m ON m.partner_structure_id = s.id AND m.role = 'referent'
            WHERE s.name LIKE 'Bench structure %%'
        ),
        counts AS (SELECT (SELECT COUNT(*) FROM sites) AS sites,
                          (SELECT COUNT(*) FROM structures) AS structures),
        people AS (
            SELECT n.i, n.at, n.i %% counts.sites AS site_rn,
                   CASE WHEN n.i %% 8 = 7 THEN (n.i * 31) %% counts.structures
                   ELSE n.i %% counts.sites + counts.sites
                        * ((n.i / counts.sites) %% (counts.structures / counts.sites)) END
                   AS structure_rn
            FROM dated n CROSS JOIN counts
        )"""  # noqa: S608 -- table names of our models
    last = d.pick("n.i / 7", LAST_NAMES)
    first = d.pick("n.i * 13 / 11", FIRST_NAMES)
    created = "n.at"
    is_exited = "n.i %% 10 = 3"
    with connection.cursor() as cursor:
        # 1. The files. One in eight was referred by a structure of another site.
        cursor.execute(
            f"""
            WITH {"RECURSIVE " if not d.pg else ""}{d.counter(start, stop)},
            dated AS (SELECT i, {d.days_before("%s", f"i %% {AGE_DAYS}")} AS at FROM n), {sites}
            INSERT INTO {t["person"]} (
                public_id, first_name, last_name, birth_year, phone, has_no_phone, email,
                languages, contact_preference, contact_notes, housing, publics, search_name,
                reception_point_id, partner_structure_id, referent_id,
                needs_equip, needs_connect, needs_support, needs_priority, profile,
                exited_on, exit_outcome, exit_comment, is_equipped, is_connected,
                has_basic_skills, created_at, updated_at
            )
            SELECT {d.uuid()}, {first}, {last}, 1940 + n.i %% 66,
                   '+33' || {d.text(f"{PHONE_BASE} + n.i")}, FALSE, '',
                   '["fr"]', 'sms', '{BENCH_NOTE}', {d.pick("n.i", HOUSING)}, '[]',
                   lower({last} || ' ' || {first}),
                   sites.id, st.id, st.referent_id,
                   n.i %% 2 = 0, n.i %% 3 = 0, n.i %% 2 = 1, '["equip"]',
                   {d.pick("n.i / 3", PROFILES)},
                   CASE WHEN {is_exited} THEN {d.date_of(created, "200")} END,
                   CASE WHEN {is_exited} THEN {d.pick("n.i", EXITS)} ELSE '' END, '',
                   n.i %% 4 = 0, n.i %% 5 = 0, FALSE, {created}, {created}
            FROM people n
            JOIN sites ON sites.rn = n.site_rn
            JOIN structures st ON st.rn = n.structure_rn
            """,  # noqa: S608 -- table names and constants of this module
            [now],
        )
        d.analyze(cursor, t["person"])
        # 2. One referral per file, by the same structure: validated ones point at the file.
        person_i = d.person_index("b.phone")
        status = d.pick(person_i, STATUSES)
        reference = " || ".join(
            f"substr('{REFERENCE_ALPHABET}', ({person_i} / {len(REFERENCE_ALPHABET) ** k}) "
            f"%% {len(REFERENCE_ALPHABET)} + 1, 1)"
            for k in range(6)
        )
        cursor.execute(
            f"""
            INSERT INTO {t["referral"]} (
                reference, status, partner_structure_id, referent_id, reception_point_id,
                first_name, last_name, birth_year, phone, has_no_phone, email, languages,
                contact_preference, contact_notes, housing, publics, search_name,
                needs_equip, needs_equip_detail, needs_connect, needs_connect_detail,
                needs_support, needs_support_detail, needs_priority, reason, consent_given_at,
                beneficiary_id, refusal_reason_id, refusal_comment, decided_at,
                created_at, updated_at
            )
            SELECT 'B' || {reference}, {status}, b.partner_structure_id, b.referent_id,
                   b.reception_point_id, b.first_name, b.last_name, b.birth_year, b.phone,
                   FALSE, '', '["fr"]', 'sms', '', b.housing, '[]', b.search_name,
                   b.needs_equip, '', b.needs_connect, '', b.needs_support, '', '["equip"]',
                   'Besoin d''un ordinateur pour les démarches.', b.created_at,
                   CASE WHEN {status} = 'validated' THEN b.id END,
                   CASE WHEN {status} = 'refused' THEN %s END, '',
                   CASE WHEN {status} IN ('validated', 'refused') THEN b.created_at END,
                   b.created_at, b.created_at
            FROM {t["person"]} b WHERE b.id > %s
            """,  # noqa: S608 -- as above
            [reason, first_person],
        )
        d.analyze(cursor, t["referral"])
        # 3. The access period each validated referral opened; one file in five renewed it.
        cursor.execute(
            f"""
            INSERT INTO {t["period"]} (beneficiary_id, referral_id, starts_on, ends_on,
                                       ended_early_on)
            SELECT r.beneficiary_id, r.id, {d.date_of("r.created_at")},
                   {d.date_of("r.created_at", str(ACCESS_DAYS))}, b.exited_on
            FROM {t["referral"]} r JOIN {t["person"]} b ON b.id = r.beneficiary_id
            WHERE r.id > %s
            UNION ALL
            SELECT r.beneficiary_id, NULL, {d.date_of("r.created_at", "300")},
                   {d.date_of("r.created_at", str(300 + ACCESS_DAYS))}, b.exited_on
            FROM {t["referral"]} r JOIN {t["person"]} b ON b.id = r.beneficiary_id
            WHERE r.id > %s AND {d.person_index("b.phone")} %% 5 = 1
            """,  # noqa: S608 -- as above
            [first_referral, first_referral],
        )
        # 4. Timeline: the file opened, then its first visit for one file in two.
        cursor.execute(
            f"""
            INSERT INTO {t["entry"]} (beneficiary_id, at, kind, summary, actor_id, milestone,
                                      object_type, object_id)
            SELECT b.id, b.created_at, 'beneficiary.created', 'Dossier ouvert',
                   CAST(NULL AS BIGINT), '', 'beneficiaries.beneficiary', {d.text("b.id")}
            FROM {t["person"]} b WHERE b.id > %s
            UNION ALL
            SELECT b.id, b.updated_at, 'support.visit', 'Première venue',
                   CAST(NULL AS BIGINT), 'first_visit', '', ''
            FROM {t["person"]} b WHERE b.id > %s AND {d.person_index("b.phone")} %% 2 = 0
            """,  # noqa: S608 -- as above
            [first_person, first_person],
        )
        # 5. Audit: the file created, and opened once by its référent's site.
        cursor.execute(
            f"""
            INSERT INTO {t["audit"]} (at, actor_id, action, object_type, object_id,
                                      changed_fields)
            SELECT b.created_at, NULL, 'create', 'beneficiaries.beneficiary', {d.text("b.id")},
                   {d.json('["first_name", "last_name"]')}
            FROM {t["person"]} b WHERE b.id > %s
            UNION ALL
            SELECT b.updated_at, b.referent_id, 'view', 'beneficiaries.beneficiary',
                   {d.text("b.id")}, {d.json("[]")}
            FROM {t["person"]} b WHERE b.id > %s
            """,  # noqa: S608 -- as above
            [first_person, first_person],
        )
    fill_access_ends_on(first_person)


def fill_access_ends_on(after_pk: int) -> None:
    """The file's denormalised end of access, when the model has it (migration 0004)."""
    field_names = {f.name for f in Beneficiary._meta.get_fields()}
    if "access_ends_on" not in field_names:
        return
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {t["person"]} SET access_ends_on = (
                SELECT COALESCE(p.ended_early_on, p.ends_on) FROM {t["period"]} p
                WHERE p.beneficiary_id = {t["person"]}.id
                ORDER BY p.ends_on DESC, p.id DESC LIMIT 1
            ) WHERE id > %s
            """,  # noqa: S608 -- as above
            [after_pk],
        )
