"""A secret code never appears in a page, a log line, an exception or an export (ADR 0028).

The journey receives a delivery (a bad file first), consigns, sells at the counter and at a
relay, reveals one code, then reads every page, the admin and the exports, with every logger
captured, and greps them all for every secret. The only answers allowed to show a secret are the
ones made for it: the receipt call, the relay's sale confirmation and "révéler".
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import crypto
from solidarnum.connectivity.codes import services
from solidarnum.connectivity.models import Code
from solidarnum.privacy.models import AuditEvent
from tests.beneficiaries import make_beneficiary
from tests.conftest import client_for
from tests.connectivity.factories import make_offer

pytestmark = pytest.mark.django_db

SECRETS = [f"5550{n:010d}" for n in range(1, 7)]


def _upload(rows):
    head = "offre;numero_serie;code_secret;valeur_faciale"
    return SimpleUploadedFile("livraison.csv", "\n".join([head, *rows]).encode())


def test_no_secret_code_leaks_into_pages_logs_exceptions_or_exports(clients, world, caplog):
    caplog.set_level(logging.DEBUG)
    offer = make_offer()
    staff = clients["staff_a"]
    rows = [f"Recharge essentielle;SC{n};{secret};10" for n, secret in enumerate(SECRETS, 1)]
    seen: list[str] = []

    # A bad file: a wrong secret cell and a duplicate, nothing imported, the report is read.
    bad = staff.post(
        reverse("connectivity:delivery_import"),
        {"file": _upload([*rows, "Recharge essentielle;SC1;12!4;10", "Inconnue;SC9;77777777;1"])},
    )
    assert bad.status_code == 400
    seen.append(bad.content.decode())
    preview = staff.post(reverse("connectivity:delivery_import"), {"file": _upload(rows)})
    seen.append(preview.content.decode())
    token = preview.context["confirm_form"].initial["token"]
    staff.post(reverse("connectivity:delivery_import"), {"token": token})
    assert Code.objects.count() == 6

    # At the counter: a sale to a person, its receipt (allowed to show the secret).
    scope = resolve_scope(world.users["staff_a"], None)
    awa = make_beneficiary(world)
    taken = services.take_next_code(
        acting_user=scope.user,
        scope=scope,
        offer=offer,
        reception_point=world.site_a,
        beneficiary=awa,
    )
    seen.append(repr(taken))
    assert (
        services.secret_for_receipt(acting_user=scope.user, scope=scope, code_id=taken.code_id)
        in SECRETS
    )
    # Refusals and errors name no secret.
    for attempt in (
        lambda: services.secret_for_receipt(
            acting_user=scope.user, scope=scope, code_id=taken.code_id
        ),
        lambda: services.reveal_code(
            acting_user=scope.user,
            scope=scope,
            code=Code.objects.get(pk=taken.code_id + 1),
            reason="x",
        ),
    ):
        with pytest.raises(ServiceError) as caught:
            attempt()
        seen.append(str(caught.value) + repr(caught.value))
    with pytest.raises(crypto.UnreadableSecret) as unreadable:
        crypto.decrypt(crypto.encrypt(SECRETS[0])[:-4] + "AAAA")
    seen.append(str(unreadable.value))

    # At the relay: consign 3, sell 1 (its confirmation is allowed to show the secret).
    staff.post(
        reverse("connectivity:relay_consign", kwargs={"pk": world.relay_a.pk}),
        {"offer": offer.pk, "quantity": "3"},
    )
    sale = clients["relay_operator"].post(
        reverse("connectivity:relay_sale"),
        {"offer": offer.pk, "quantity": "1", "buyer_first_name": "Awa", "buyer_birth_year": "1984"},
    )
    assert any(secret in sale.content.decode() for secret in SECRETS)

    # "Révéler" (allowed to show the secret) on the code sold at the counter.
    reveal = staff.post(
        reverse("connectivity:code_reveal", kwargs={"pk": taken.code_id}),
        {"reason": "ticket perdu"},
    )
    assert any(secret in reveal.content.decode() for secret in SECRETS)

    # Every page, as every role that may read it.
    today = timezone.localdate()
    month = {"pk": world.relay_a.pk, "year": today.year, "month": today.month}
    pages = [
        reverse("connectivity:stock_place", kwargs={"pk": world.site_a.pk}),
        reverse("connectivity:code_list"),
        reverse("connectivity:delivery_list"),
        reverse("connectivity:relay_list"),
        reverse("connectivity:relay_detail", kwargs={"pk": world.relay_a.pk}),
        reverse("connectivity:relay_statement", kwargs=month),
        reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": awa.public_id}),
        reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": awa.public_id})
        + "?onglet=equipement",
        reverse("privacy:audit_list"),
    ]
    pages += [reverse("connectivity:code_detail", kwargs={"pk": c.pk}) for c in Code.objects.all()]
    pages += [
        reverse("connectivity:delivery_detail", kwargs={"pk": c.delivery_id})
        for c in Code.objects.all()[:1]
    ]
    for role in ("admin", "manager_a", "staff_a", "volunteer_a", "relay_operator"):
        for url in pages:
            response = clients[role].get(url)
            if response.status_code == 200:
                seen.append(response.content.decode())
    relay = clients["relay_operator"]
    seen.extend(
        relay.get(reverse(name)).content.decode()
        for name in ("connectivity:relay_home", "connectivity:relay_sales")
    )

    # The admin, as a superuser: lists and change pages.
    root = User.objects.create_superuser("root@example.org", "un-mot-de-passe-de-test")
    admin = client_for(root)
    seen.append(admin.get(reverse("admin:connectivity_code_changelist")).content.decode())
    for code in Code.objects.all():
        change = admin.get(reverse("admin:connectivity_code_change", args=[code.pk]))
        seen.append(change.content.decode())

    # Exports: the audit trail's rows, the delivery template. (The statement PDF is rendered from
    # the figures of the statement page read above: counts and amounts only.)
    seen.append(repr(list(AuditEvent.objects.values())))
    seen.append(staff.get(reverse("connectivity:delivery_template")).content.decode())

    seen.append(caplog.text)
    everything = "\n".join(seen)
    leaked = [secret for secret in SECRETS if secret in everything]
    assert leaked == []
