from django.db import models
from django.utils.translation import gettext_lazy as _

# The steps and states of background import jobs are those of every app (`common.jobs`,
# ADR 0043), still importable from here.
from solidarnum.common.jobs.models import ImportJobState as ImportJobState
from solidarnum.common.jobs.models import ImportJobStep as ImportJobStep


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", _("Ordinateur portable")
    DESKTOP = "desktop", _("Ordinateur fixe")
    SMARTPHONE = "smartphone", _("Smartphone")
    TABLET = "tablet", _("Tablette")
    BASIC_PHONE = "basic_phone", _("Téléphone simple")
    HOTSPOT = "hotspot", _("Borne wifi mobile")


# Kinds that carry an IMEI (checked with its Luhn digit).
KINDS_WITH_IMEI = frozenset({DeviceKind.SMARTPHONE, DeviceKind.BASIC_PHONE})


class Grade(models.TextChoices):
    A = "A", _("A · comme neuf")
    B = "B", _("B · traces d'usage légères")
    C = "C", _("C · traces d'usage visibles")


class DonationSource(models.TextChoices):
    COLLECTION_PLATFORM = "collection_platform", _("Plateforme de collecte")
    DIRECT = "direct", _("Don direct de l'entreprise")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité locale")


class Status(models.TextChoices):
    """Where a device stands in its life. Transitions are listed in `lifecycle.TRANSITIONS`."""

    RECEIVED = "received", _("Reçu")
    AT_REFURBISHER = "at_refurbisher", _("Chez le reconditionneur")
    BACK_FROM_WORKSHOP = "back_from_workshop", _("Retour atelier")
    TO_CHECK = "to_check", _("À contrôler")
    AVAILABLE = "available", _("Disponible")
    TO_REPAIR = "to_repair", _("À réparer")
    SPARE_PARTS = "spare_parts", _("Pièces détachées")
    RECYCLED = "recycled", _("Recyclage (DEEE)")
    RESERVED = "reserved", _("Réservé")
    SOLD = "sold", _("Vendu")
    AFTER_SALES = "after_sales", _("Retour SAV")
    GIVEN = "given", _("Donné (pack maraude)")


# Statuses in which a device sits on a reception point's shelves (counted in stock counts).
SHELF_STATUSES = frozenset(
    {Status.TO_CHECK, Status.AVAILABLE, Status.TO_REPAIR, Status.RESERVED, Status.AFTER_SALES}
)
# Statuses in which a device is still with the refurbishing workshop.
WORKSHOP_STATUSES = frozenset({Status.RECEIVED, Status.AT_REFURBISHER, Status.BACK_FROM_WORKSHOP})


class ErasureMethod(models.TextChoices):
    OVERWRITE = "overwrite", _("Réécriture complète du support (NIST 800-88 « clear »)")
    CRYPTO_ERASE = "crypto_erase", _("Effacement cryptographique (NIST 800-88 « purge »)")
    FACTORY_RESET = "factory_reset", _("Réinitialisation d'usine chiffrée (téléphone, tablette)")
    DESTRUCTION = "destruction", _("Destruction physique du support")


class ErasureResult(models.TextChoices):
    SUCCESS = "success", _("Réussi")
    FAILURE = "failure", _("Échec")


class ErasureState(models.TextChoices):
    """What is on record about a device's data erasure, told the same way on every page
    (`selectors.erasure_state`)."""

    NONE = "none", _("aucun effacement réussi enregistré")
    WITHOUT_CERTIFICATE = "without_certificate", _("réussi, sans certificat")
    WITH_CERTIFICATE = "with_certificate", _("réussi, avec certificat")


class CheckPoint(models.TextChoices):
    """The volunteer checklist at the reception point."""

    POWERS_ON = "powers_on", _("S'allume et démarre")
    SCREEN = "screen", _("Écran sans défaut")
    INPUT = "input", _("Clavier, pavé tactile ou écran tactile")
    BATTERY = "battery", _("Batterie au-dessus du seuil")
    WIFI = "wifi", _("Wi-Fi")
    CAMERA = "camera", _("Caméra")
    SOUND = "sound", _("Son et micro")
    SYSTEM = "system", _("Système fraîchement installé et à jour")
    ACCOUNTS = "accounts", _("Anciens comptes supprimés")
    CHARGER = "charger", _("Chargeur fourni")


class CheckAnswer(models.TextChoices):
    OK = "ok", _("OK")
    FAIL = "fail", _("Pas OK")
    NOT_APPLICABLE = "na", _("Sans objet")


class TransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("Envoyé")
    RECEIVED = "received", _("Reçu")
    DISCREPANCY = "discrepancy", _("Reçu avec écart")


class StockCountStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    CLOSED = "closed", _("Terminé")
