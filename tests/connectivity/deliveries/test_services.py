from datetime import timedelta

import pytest
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import crypto
from solidarnum.connectivity.deliveries import services
from solidarnum.connectivity.deliveries.files import read_delivery_file, template_csv
from solidarnum.connectivity.enums import CodeStatus, OfferKind
from solidarnum.connectivity.models import Code, CodeEvent, Delivery
from tests.connectivity.factories import make_codes, make_offer

pytestmark = pytest.mark.django_db

GOOD_ICCID = "8933150319000000014"
BAD_ICCID = "8933150319000000017"  # wrong Luhn digit
HEAD = "offre;iccid;telephone;numero_serie;code_secret;valeur_faciale;date_expiration"


def _later() -> str:
    return (timezone.localdate() + timedelta(days=200)).strftime("%d/%m/%Y")


def _file(*rows: str) -> bytes:
    return ("\n".join([HEAD, *rows]) + "\n").encode()


@pytest.fixture
def offers(db):
    return (
        make_offer("Carte SIM prépayée", kind=OfferKind.SIM, solidarity="2", market="10"),
        make_offer("Recharge essentielle"),
    )


def _import(world, content: bytes, *, dry_run=False, role="staff_a", name="livraison.csv"):
    user = world.users[role]
    return services.import_delivery(
        acting_user=user,
        scope=resolve_scope(user, None),
        reception_point=world.site_a,
        dataset=read_delivery_file(name, content),
        file_name=name,
        dry_run=dry_run,
    )


def test_a_good_delivery_is_previewed_then_imported_with_secrets_encrypted(world, offers):
    content = _file(
        f"Carte SIM prépayée;{GOOD_ICCID};06 12 34 56 78;;;;{_later()}",
        f"recharge essentielle;;;RC-000-1;12345678901234;10,00;{_later()}",
    )
    preview = _import(world, content, dry_run=True)
    assert preview.ok and preview.total == 2 and not Code.objects.exists()
    assert [row.serial for row in preview.preview] == [GOOD_ICCID, "RC0001"]

    report = _import(world, content)

    assert report.ok and report.delivery is not None
    sim, top_up = Code.objects.order_by("serial")
    assert (sim.serial, sim.phone_number.as_e164, sim.secret_token) == (
        GOOD_ICCID,
        "+33612345678",
        "",
    )
    assert top_up.serial == "RC0001" and top_up.status == CodeStatus.IN_STOCK
    assert crypto.decrypt(top_up.secret_token) == "12345678901234"
    assert top_up.reception_point == world.site_a and top_up.delivery == report.delivery
    assert CodeEvent.objects.filter(to_status=CodeStatus.IN_STOCK).count() == 2


def test_one_bad_row_and_nothing_is_imported_each_problem_said_in_french(world, offers):
    past = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    make_codes(offers[1], world.site_a)  # serial RC…: taken below
    known = Code.objects.get().serial
    content = _file(
        f"Carte SIM prépayée;{BAD_ICCID};;;;;",
        "Carte SIM prépayée;12345;;;;;",
        "Forfait inconnu;;;RC9;99999999;;",
        f"Recharge essentielle;;;RC7;11112222;;{past}",
        "Recharge essentielle;;;RC8;33334444;;",
        "Recharge essentielle;;;RC8;55556666;;",
        f"Recharge essentielle;;;{known};77778888;;",
        "Recharge essentielle;;;RC10;;;",
        f"Carte SIM prépayée;{GOOD_ICCID};;;;;",
    )

    report = _import(world, content)

    assert not report.ok and report.delivery is None
    by_line = {}
    for issue in report.issues:
        by_line.setdefault(issue.line, []).append(issue.message)
    assert "clé de contrôle" in by_line[2][0]
    assert "19 ou 20 chiffres" in by_line[3][0]
    assert "Offre inconnue : « Forfait inconnu »" in by_line[4][0]
    assert "Déjà expiré" in by_line[5][0]
    assert "plusieurs fois dans le fichier (aussi ligne 7)" in by_line[6][0]
    assert "déjà enregistré" in by_line[8][0]
    assert "code secret est obligatoire" in by_line[9][0]
    assert 10 not in by_line
    assert report.invalid_lines == 8
    assert Code.objects.count() == 1 and not Delivery.objects.exists()
    # The messages never repeat a secret code.
    for secret in ("99999999", "11112222", "33334444", "55556666", "77778888"):
        assert all(secret not in issue.message for issue in report.issues)


def test_only_the_sites_staff_receive_its_deliveries(world, offers):
    content = _file(f"Carte SIM prépayée;{GOOD_ICCID};;;;;")
    for role in ("staff_b", "admin", "volunteer_a"):
        with pytest.raises(ServiceError):
            _import(world, content, role=role)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"offre;couleur\nA;B\n", "Colonnes inconnues"),
        (b"offre;valeur_faciale\nA;1\n", "Colonnes obligatoires absentes"),
        (HEAD.encode() + b"\n", "aucune carte"),
    ],
)
def test_a_wrong_file_is_refused_as_a_whole(content, message):
    with pytest.raises(ServiceError, match=message):
        read_delivery_file("livraison.csv", content)


def test_the_template_is_a_valid_delivery(world, offers):
    report = _import(world, template_csv().encode(), dry_run=True)
    assert report.ok, report.issues
