"""Every staff page of every app, for a member of a site's staff and for a référent.

The pages are found by walking the URL patterns: a pattern without arguments is requested as
is; one that takes a person's `public_id`, a referral `reference` or a device `pk` gets an
object of the caller's own site or structure. Pages that answer something else than 200 for a
role (another role's page, a POST-only action) are not that role's pages and are left out. A
query count is kept per page and volume (bench/out/queries-<people>.json) so that two volumes can
be compared: every page must cost at most `MAX_QUERIES`, the same at 100,000 and 1,000,000.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.equipment.models import Device
from solidarnum.referrals.models import Referral

MAX_QUERIES = 12
# Not pages a person reads: downloads, the admin, the API, the login machinery, public pages.
SKIPPED_PREFIXES = ("admin:", "api:", "account_", "mfa_", "common:", "network:public")
SKIPPED_SUFFIXES = ("_pdf", "_csv", "certificate", "tax_receipt", "_template")
# Searches and filters as people type them, on the pages that have them.
QUERIES = {
    "referrals:referral_inbox": [
        "",
        "?status=all",
        "?q=martin",
        "?q=martin+awa",
        "?status=all&q=martin",
        "?q=0612345678",
        "?partner_structure={structure}",
        "?status=validated&since=2025-01-01",
    ],
    "beneficiaries:beneficiary_list": [
        "",
        "?q=martin",
        "?q=martin+awa",
        "?access=active",
        "?access=ended",
        "?need=equip&profile=beginner",
        "?page=3",
    ],
    "referrals:referent_referral_list": ["", "?q=martin", "?status=validated"],
    "equipment:device_list": ["", "?q=ThinkPad"],
}


def _patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, inner)
        elif p.name:
            yield f"{namespace}{p.name}", p


def _kwargs(pattern: URLPattern, objects: dict[str, object]) -> dict[str, object] | None:
    """Arguments for the pattern from the caller's objects, or None when it takes others."""
    names = list(pattern.pattern.regex.groupindex)
    if any(name not in objects for name in names):
        return None
    return {name: objects[name] for name in names}


def pages_for(objects: dict[str, object], structure: int | None) -> list[str]:
    """URLs of every page that might be a staff page, searches included."""
    urls = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name.startswith(SKIPPED_PREFIXES) or name.endswith(SKIPPED_SUFFIXES):
            continue
        kwargs = _kwargs(pattern, objects)
        if kwargs is None:
            continue
        if name == "equipment:device_detail" or "pk" not in kwargs:
            base = reverse(name, kwargs=kwargs or None)
        else:  # a pk of something else than a device
            continue
        urls.extend(base + query.format(structure=structure) for query in QUERIES.get(name, [""]))
    return urls


def staff_and_referent_pages() -> list[tuple[Client, str, str]]:
    """(client, role, url) of the pages of a member of the first bench site's staff and of a
    référent of one of its structures, each with an object of their own."""
    member = (
        Membership.objects.filter(
            role=Role.STAFF, reception_point__name__startswith="Bench ", user__is_active=True
        )
        .select_related("user", "reception_point")
        .order_by("reception_point_id", "pk")
        .first()
    )
    if member is None:
        return []
    site = member.reception_point_id
    person = Beneficiary.objects.filter(reception_point_id=site, contact_notes="bench").first()
    referral = Referral.objects.filter(reception_point_id=site, beneficiary=person).first()
    device = Device.objects.filter(reception_point_id=site).order_by("-pk").first()
    structure = referral.partner_structure_id if referral else None
    referent = (
        Membership.objects.filter(role=Role.REFERENT, partner_structure_id=structure)
        .select_related("user")
        .first()
    )
    rows: list[tuple[Client, str, str]] = []
    callers: list[tuple[Membership | None, str, dict[str, object]]] = [
        (
            member,
            "staff",
            {
                "public_id": person.public_id if person else None,
                "reference": referral.reference if referral else None,
                "pk": device.pk if device else None,
            },
        ),
        (referent, "référent", {"reference": referral.reference if referral else None}),
    ]
    for membership, role, objects in callers:
        if membership is None:
            continue
        client = Client()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        present = {k: v for k, v in objects.items() if v is not None}
        rows.extend(  # the pages that answer 200 are that role's
            (client, role, url)
            for url in pages_for(present, structure)
            if client.get(url).status_code == 200
        )
    return rows


def check_queries(counts: dict[str, int], people: int, out: Path) -> list[str]:
    """Lines saying which pages go past MAX_QUERIES, and which cost differently at another
    volume already measured."""
    (out / f"queries-{people}.json").write_text(json.dumps(counts, indent=1, sort_keys=True))
    lines = [
        f"over {MAX_QUERIES} queries: {key} ({n})" for key, n in counts.items() if n > MAX_QUERIES
    ]
    for other in sorted(out.glob("queries-*.json")):
        volume = int(other.stem.split("-")[1])
        if volume == people:
            continue
        before = json.loads(other.read_text())
        changed = [
            f"{key}: {before[key]} at {volume:,}, {n} at {people:,}"
            for key, n in counts.items()
            if key in before and before[key] != n
        ]
        same = sum(1 for key in counts if key in before and before[key] == counts[key])
        lines.append(f"queries at {volume:,} and {people:,} people: {same} pages the same")
        lines += [f"  differs: {line}" for line in changed]
    if not any(line.startswith("over") for line in lines):
        lines.insert(0, f"every staff page at most {MAX_QUERIES} queries")
    return lines
