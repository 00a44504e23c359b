"""A staff member sends a person's voucher by SMS from the referral; the development console
shows it; the delivery log says "envoyé", then "délivré" once the provider's webhook reports it;
a number the provider refuses shows the warning on the person's file."""

import io
import json

from playwright.sync_api import Page, expect

from solidarnum.notifications.backends import ConsoleSmsBackend
from solidarnum.notifications.models import Message
from solidarnum.referrals.services import validate_referral
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.conftest import World
from tests.referrals.factories import make_referral

SECRET = "test-webhook-secret"  # config/settings_test.py


def report(page: Page, message: Message, status: str) -> None:
    """What the provider's webhook posts (the console backend reads Brevo's shape)."""
    response = page.request.post(
        f"/notifications/webhooks/console/rapports/?secret={SECRET}",
        data=json.dumps({"messageId": message.provider_message_id, "msg_status": status}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200, response.status


def test_a_voucher_sent_by_sms_is_followed_to_its_delivery(
    live_world: World, page: Page, settings, screenshot, monkeypatch
) -> None:
    console = io.StringIO()
    settings.NOTIFICATIONS_SMS_BACKENDS = ["solidarnum.notifications.backends.ConsoleSmsBackend"]
    monkeypatch.setattr(ConsoleSmsBackend, "stream", console)
    referral = make_referral(live_world)
    referral = validate_referral(acting_user=live_world.users["staff_a"], referral=referral)

    log_in(page, "sarah.staff@example.org")
    page.goto(f"/accueil/orientations/{referral.reference}/")
    page.get_by_role("button", name="Envoyer le bon par SMS").click()
    expect(page.get_by_text("Le bon part par SMS au +33 •• •• •• •• 78.")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    screenshot(page, "sent")

    # The development console printed the SMS.
    printed = console.getvalue()
    assert f"Bon d'orientation {referral.reference}" in printed
    assert "+33612345678" in printed

    # The log: "envoyé", then "délivré" after the provider's report.
    page.goto("/messages/")
    page.get_by_label("Canal").select_option(label="SMS")
    page.get_by_role("button", name="Filtrer").click()
    # The header and the SMS alone (the référent's e-mail about the validation is filtered out).
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(page.get_by_role("cell", name="envoyé", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link").click()
    expect(page.get_by_test_id("message-status")).to_have_text("envoyé", timeout=TIMEOUT_MS)
    message = Message.objects.get(template="referrals.voucher")
    report(page, message, "delivered")
    page.reload()
    expect(page.get_by_test_id("message-status")).to_have_text("délivré", timeout=TIMEOUT_MS)
    expect(page.get_by_role("cell", name="console").first).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(page, "delivered")

    # Sent again, the number is refused: the file warns the staff.
    page.goto(f"/accueil/orientations/{referral.reference}/")
    page.get_by_role("button", name="Envoyer le bon par SMS").click()
    expect(page.get_by_text("Le bon part par SMS")).to_be_visible(timeout=TIMEOUT_MS)
    second = Message.objects.filter(template="referrals.voucher").order_by("-pk").first()
    assert second is not None and second.pk != message.pk
    report(page, second, "hardBounce")
    page.goto(f"/beneficiaires/{referral.beneficiary.public_id}/")
    page.get_by_role("navigation", name="Parties du dossier").get_by_role(
        "link", name="Messages"
    ).click()
    expect(page.get_by_test_id("doubtful-phone")).to_contain_text(
        "Le dernier SMS n'a pas été reçu.", timeout=TIMEOUT_MS
    )
    screenshot(page, "file-warning")
