import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from solidarnum.connectivity.enums import OfferKind
from solidarnum.connectivity.models import Code, Delivery
from tests.connectivity.factories import make_offer

pytestmark = pytest.mark.django_db

HEAD = "offre;iccid;numero_serie;code_secret;valeur_faciale"


def _upload(rows):
    content = "\n".join([HEAD, *rows]).encode()
    return SimpleUploadedFile("livraison.csv", content, content_type="text/csv")


def test_a_bad_iccid_imports_nothing_then_the_fixed_file_is_imported(clients, world):
    make_offer("Carte SIM prépayée", kind=OfferKind.SIM, solidarity="2", market="10")
    make_offer("Recharge essentielle")
    client = clients["staff_a"]
    url = reverse("connectivity:delivery_import")
    rows = ["Recharge essentielle;;RC1;12345678;10", "Recharge essentielle;;RC2;87654321;10"]

    bad = client.post(url, {"file": _upload(["Carte SIM prépayée;8933150319000000017;;;", *rows])})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Rien n'a été importé : 1 ligne à corriger" in page
    assert "clé de contrôle" in page
    assert not Code.objects.exists()

    good = client.post(url, {"file": _upload(["Carte SIM prépayée;8933150319000000014;;;", *rows])})
    assert good.status_code == 200
    assert "3 cartes et codes prêts à entrer en stock" in good.content.decode()
    assert "12345678" not in good.content.decode()
    token = good.context["confirm_form"].initial["token"]
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    delivery = Delivery.objects.get()
    assert done["Location"] == reverse("connectivity:delivery_detail", kwargs={"pk": delivery.pk})
    assert Code.objects.filter(delivery=delivery, reception_point=world.site_a).count() == 3


def test_a_stale_confirmation_is_refused(clients):
    response = clients["staff_a"].post(reverse("connectivity:delivery_import"), {"token": "x"})
    assert response.status_code == 302
    assert not Code.objects.exists()


def test_the_template_downloads(clients):
    response = clients["staff_a"].get(reverse("connectivity:delivery_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "iccid" in response.content.decode()
