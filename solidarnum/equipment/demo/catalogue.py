"""What the demo equipment is made of: the donations, how many devices of each kind reached which
status where, the models and their specs, the prices and the texts of the history.

Serial numbers follow the order of `DONATIONS`, so they stay the same from one run to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from solidarnum.equipment.enums import CheckPoint, DeviceKind, DonationSource, Grade, Status
from solidarnum.network.demo import CRETEIL, PARIS_14, PARIS_19

SEED = 20260401
SERIAL_PREFIX = "DEMO"
S = Status
K = DeviceKind

# Serial numbers are stored as `services.normalize_serial` leaves them: "DEMO-LP-0001" typed at
# the workbench finds DEMOLP0001.
KIND_CODES = {
    K.LAPTOP: "LP",
    K.DESKTOP: "PC",
    K.SMARTPHONE: "SP",
    K.TABLET: "TB",
    K.BASIC_PHONE: "PH",
    K.HOTSPOT: "HS",
}
FIRST_SERIAL = f"{SERIAL_PREFIX}LP0001"

WORKSHOP = ""  # still with the refurbishing workshop
TRANSIT = "transit"  # in the transfer to Paris 19e still "Envoyé"
LOST = "lost"  # not found when its transfer to Créteil was received (a discrepancy)

# Price grid: in force since 2025-01-01, with one change (laptops B lowered on 2026-03-01).
PRICE_START = date(2025, 1, 1)
PRICE_CHANGE = (K.LAPTOP, "B", Decimal("90"), date(2026, 3, 1))
PRICES: dict[str, tuple[int, int, int]] = {  # kind -> (A, B, C), in euros
    K.LAPTOP: (130, 100, 70),
    K.DESKTOP: (90, 70, 50),
    K.SMARTPHONE: (60, 45, 30),
    K.TABLET: (75, 55, 40),
    K.BASIC_PHONE: (15, 10, 5),
    K.HOTSPOT: (35, 25, 15),
}
# What a workshop values one device at, for the tax receipt (euros).
UNIT_VALUES: dict[str, int] = {
    K.LAPTOP: 60,
    K.DESKTOP: 35,
    K.SMARTPHONE: 25,
    K.TABLET: 30,
    K.BASIC_PHONE: 5,
    K.HOTSPOT: 10,
}


@dataclass(frozen=True)
class Model:
    brand: str
    name: str
    processor: str = ""
    ram_gb: int | None = None
    storage_gb: int | None = None
    screen: str | None = None
    system: str = ""
    tac: str = ""  # first 8 digits of the IMEI (type allocation code)


CATALOGUE: dict[str, list[Model]] = {
    K.LAPTOP: [
        Model("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", 8, 256, "14.0", "Windows 11 Pro"),
        Model("Dell", "Latitude 5490", "Intel Core i5-8250U", 8, 256, "14.0", "Windows 11 Pro"),
        Model("HP", "EliteBook 840 G5", "Intel Core i5-8350U", 8, 256, "14.0", "Windows 11 Pro"),
        Model("Lenovo", "ThinkPad T470", "Intel Core i5-7300U", 8, 256, "14.0", "Linux Mint 22"),
        Model("Dell", "Latitude 7400", "Intel Core i5-8365U", 16, 512, "14.0", "Windows 11 Pro"),
        Model("HP", "ProBook 450 G6", "Intel Core i5-8265U", 8, 256, "15.6", "Windows 11 Pro"),
    ],
    K.DESKTOP: [
        Model("Dell", "OptiPlex 7060", "Intel Core i5-8500", 8, 256, None, "Windows 11 Pro"),
        Model("HP", "EliteDesk 800 G4", "Intel Core i5-8500", 8, 256, None, "Windows 11 Pro"),
        Model("Lenovo", "ThinkCentre M920q", "Intel Core i5-8500T", 8, 256, None, "Windows 11"),
        Model("Dell", "OptiPlex 5050", "Intel Core i5-7500", 8, 500, None, "Linux Mint 22"),
    ],
    K.SMARTPHONE: [
        Model("Apple", "iPhone 8", "Apple A11 Bionic", 2, 64, "4.7", "iOS 16", "35325609"),
        Model("Apple", "iPhone SE (2020)", "Apple A13 Bionic", 3, 64, "4.7", "iOS 18", "35674511"),
        Model("Samsung", "Galaxy A40", "Exynos 7904", 4, 64, "5.9", "Android 11", "35443210"),
        Model("Samsung", "Galaxy A52", "Snapdragon 720G", 4, 128, "6.5", "Android 14", "35089312"),
        Model(
            "Xiaomi", "Redmi Note 9", "MediaTek Helio G85", 3, 64, "6.5", "Android 12", "86778104"
        ),
        Model("Google", "Pixel 4a", "Snapdragon 730G", 6, 128, "5.8", "Android 13", "35372211"),
    ],
    K.TABLET: [
        Model("Apple", "iPad (6e génération)", "Apple A10 Fusion", 2, 32, "9.7", "iPadOS 17"),
        Model("Samsung", "Galaxy Tab A 10.1 (2019)", "Exynos 7904", 2, 32, "10.1", "Android 11"),
        Model("Lenovo", "Tab M10", "Snapdragon 429", 2, 32, "10.1", "Android 10"),
    ],
    K.BASIC_PHONE: [
        Model("Nokia", "105 (2019)", screen="1.8", system="Series 30+", tac="35409811"),
        Model("Nokia", "3310 3G", screen="2.4", system="Series 30+", tac="35265909"),
        Model("Alcatel", "2019G", screen="2.4", system="Alcatel OS", tac="35816410"),
        Model("Doro", "6520", screen="2.8", system="Doro OS", tac="35512410"),
    ],
    K.HOTSPOT: [
        Model("Huawei", "E5576-320"),
        Model("TP-Link", "M7350"),
        Model("Alcatel", "LinkZone MW40V"),
    ],
}


@dataclass(frozen=True)
class Group:
    """`count` devices of one kind that reached `status` at `place` (a site key or above)."""

    kind: str
    status: Status
    count: int
    place: str = WORKSHOP
    erased: bool = True  # False: no erasure record (only for the demo of the refusal)
    repaired: bool = False  # failed a first check, repaired, then passed


@dataclass(frozen=True)
class DonationSeed:
    donor: int  # `siret_number` of the company in solidarnum.network.demo
    refurbisher: int
    days_ago: int
    source: DonationSource
    pickup_place: str
    groups: tuple[Group, ...] = ()
    announced: tuple[tuple[str, int], ...] = ()  # only for a donation not yet received
    tax_receipt: bool = False


G = Group
P19, P14, CR = PARIS_19, PARIS_14, CRETEIL
HORIZON, ARDOISE, PARC, LITTORAL = 101, 102, 103, 104
SECONDE_VIE, NORD, RHONE = 201, 202, 203
HORIZON_SEAT = "Siège, 18 rue de Londres, 75009 Paris"

DONATIONS: list[DonationSeed] = [
    DonationSeed(
        HORIZON, SECONDE_VIE, 520, DonationSource.COLLECTION_PLATFORM, HORIZON_SEAT,
        (
            G(K.LAPTOP, S.SOLD, 14, P19), G(K.LAPTOP, S.SOLD, 4, CR),
            G(K.LAPTOP, S.AVAILABLE, 4, P19), G(K.LAPTOP, S.AVAILABLE, 2, P19, repaired=True),
            G(K.LAPTOP, S.RECYCLED, 2, P19), G(K.LAPTOP, S.SPARE_PARTS, 2),
            G(K.LAPTOP, S.RECYCLED, 1), G(K.LAPTOP, S.AFTER_SALES, 1, P19),
            G(K.LAPTOP, S.TO_REPAIR, 2, P19),
            G(K.SMARTPHONE, S.SOLD, 10, P19), G(K.SMARTPHONE, S.SOLD, 3, CR),
            G(K.SMARTPHONE, S.AVAILABLE, 3, P19), G(K.SMARTPHONE, S.RECYCLED, 2),
            G(K.SMARTPHONE, S.TO_REPAIR, 1, P19),
            G(K.DESKTOP, S.SOLD, 4, P19), G(K.DESKTOP, S.AVAILABLE, 3, P19),
            G(K.DESKTOP, S.SPARE_PARTS, 1, P19),
        ),
        tax_receipt=True,
    ),
    DonationSeed(
        HORIZON, SECONDE_VIE, 380, DonationSource.DIRECT,
        "Agence Horizon, 40 rue de Lyon, 75012 Paris",
        (
            G(K.LAPTOP, S.SOLD, 8, P19), G(K.LAPTOP, S.SOLD, 4, P14),
            G(K.LAPTOP, S.AVAILABLE, 3, P19), G(K.LAPTOP, S.AVAILABLE, 2, P14),
            G(K.LAPTOP, S.RESERVED, 2, P19), G(K.LAPTOP, S.TO_REPAIR, 1, P14),
            G(K.LAPTOP, S.RECYCLED, 1, P19),
            G(K.TABLET, S.SOLD, 6, P19), G(K.TABLET, S.AVAILABLE, 3, P19),
            G(K.TABLET, S.AVAILABLE, 2, P14), G(K.TABLET, S.SPARE_PARTS, 1),
            G(K.TABLET, S.RESERVED, 1, P19), G(K.TABLET, S.AFTER_SALES, 1, P19),
            G(K.HOTSPOT, S.SOLD, 4, P19), G(K.HOTSPOT, S.AVAILABLE, 4, P19),
            G(K.HOTSPOT, S.AVAILABLE, 2, CR), G(K.HOTSPOT, S.RECYCLED, 1),
        ),
        tax_receipt=True,
    ),
    DonationSeed(
        HORIZON, SECONDE_VIE, 200, DonationSource.COLLECTION_PLATFORM, HORIZON_SEAT,
        (
            G(K.SMARTPHONE, S.SOLD, 8, P19), G(K.SMARTPHONE, S.AVAILABLE, 6, P19),
            G(K.SMARTPHONE, S.AVAILABLE, 1, P19, repaired=True),
            G(K.SMARTPHONE, S.RESERVED, 1, P19), G(K.SMARTPHONE, S.TO_REPAIR, 2, P19),
            G(K.SMARTPHONE, S.SOLD, 3, P14), G(K.SMARTPHONE, S.AVAILABLE, 2, P14),
            G(K.BASIC_PHONE, S.SOLD, 6, P19), G(K.BASIC_PHONE, S.AVAILABLE, 5, P19),
            G(K.BASIC_PHONE, S.AVAILABLE, 3, CR), G(K.BASIC_PHONE, S.SOLD, 2, CR),
            G(K.BASIC_PHONE, S.RECYCLED, 2), G(K.BASIC_PHONE, S.SPARE_PARTS, 1, P19),
            G(K.BASIC_PHONE, S.RESERVED, 1, CR),
        ),
    ),
    # The current batch of the demo workshop: some devices still there, some already checked.
    DonationSeed(
        HORIZON, SECONDE_VIE, 45, DonationSource.DIRECT, HORIZON_SEAT,
        (
            G(K.LAPTOP, S.RECEIVED, 6), G(K.LAPTOP, S.AT_REFURBISHER, 10),
            G(K.LAPTOP, S.BACK_FROM_WORKSHOP, 6),
            G(K.LAPTOP, S.BACK_FROM_WORKSHOP, 2, erased=False),
            G(K.LAPTOP, S.BACK_FROM_WORKSHOP, 3, TRANSIT),
            G(K.LAPTOP, S.TO_CHECK, 3, P19), G(K.LAPTOP, S.TO_CHECK, 1, P19, erased=False),
            G(K.LAPTOP, S.AVAILABLE, 2, P19), G(K.LAPTOP, S.TO_REPAIR, 1, P19),
            G(K.SMARTPHONE, S.RECEIVED, 4), G(K.SMARTPHONE, S.AT_REFURBISHER, 6),
            G(K.SMARTPHONE, S.BACK_FROM_WORKSHOP, 5),
            G(K.SMARTPHONE, S.BACK_FROM_WORKSHOP, 2, TRANSIT),
            G(K.SMARTPHONE, S.TO_CHECK, 2, P19), G(K.SMARTPHONE, S.AVAILABLE, 1, P19),
        ),
    ),
    # Announced last week, not received yet: the workshop can import a batch for it.
    DonationSeed(
        HORIZON, SECONDE_VIE, 6, DonationSource.COLLECTION_PLATFORM, HORIZON_SEAT,
        announced=((K.LAPTOP, 15), (K.SMARTPHONE, 10), (K.TABLET, 5)),
    ),
    DonationSeed(
        ARDOISE, SECONDE_VIE, 300, DonationSource.LOCAL_AUTHORITY,
        "Collecte de la mairie de Puteaux, 131 rue de la République, 92800 Puteaux",
        (
            G(K.DESKTOP, S.SOLD, 6, P19), G(K.DESKTOP, S.AVAILABLE, 5, P19),
            G(K.DESKTOP, S.SOLD, 3, P14), G(K.DESKTOP, S.AVAILABLE, 3, P14),
            G(K.DESKTOP, S.TO_REPAIR, 1, P14), G(K.DESKTOP, S.RECYCLED, 1, P14),
            G(K.DESKTOP, S.SPARE_PARTS, 2), G(K.DESKTOP, S.AVAILABLE, 2, CR),
            G(K.LAPTOP, S.SOLD, 4, P14), G(K.LAPTOP, S.AVAILABLE, 3, CR),
            G(K.LAPTOP, S.SOLD, 3, CR), G(K.LAPTOP, S.AFTER_SALES, 1, CR),
            G(K.LAPTOP, S.TO_CHECK, 2, CR), G(K.LAPTOP, S.RESERVED, 1, P14),
        ),
        tax_receipt=True,
    ),
    DonationSeed(
        ARDOISE, SECONDE_VIE, 90, DonationSource.COLLECTION_PLATFORM,
        "Groupe Ardoise Conseil, 1 parvis de la Défense, 92800 Puteaux",
        (
            G(K.TABLET, S.AVAILABLE, 4, P19), G(K.TABLET, S.TO_CHECK, 3, P14),
            G(K.TABLET, S.AVAILABLE, 2, P14), G(K.TABLET, S.SOLD, 3, P19),
            G(K.TABLET, S.TO_REPAIR, 1, P19), G(K.TABLET, S.RECYCLED, 1),
            G(K.SMARTPHONE, S.AVAILABLE, 3, CR), G(K.SMARTPHONE, S.TO_CHECK, 2, CR),
            G(K.SMARTPHONE, S.SOLD, 2, CR), G(K.SMARTPHONE, S.AT_REFURBISHER, 2),
            G(K.SMARTPHONE, S.SOLD, 2, P14), G(K.SMARTPHONE, S.AFTER_SALES, 1, P14),
        ),
    ),
    DonationSeed(
        PARC, NORD, 260, DonationSource.DIRECT,
        "Banque du Parc, direction régionale, 12 rue de la Bourse, 75002 Paris",
        (
            G(K.LAPTOP, S.SOLD, 3, P14), G(K.LAPTOP, S.AVAILABLE, 3, P14),
            G(K.LAPTOP, S.SOLD, 2, CR), G(K.LAPTOP, S.AVAILABLE, 2, CR),
            G(K.LAPTOP, S.SPARE_PARTS, 1, CR), G(K.LAPTOP, S.RECYCLED, 3),
            G(K.LAPTOP, S.SPARE_PARTS, 2),
            G(K.HOTSPOT, S.AVAILABLE, 2, P14), G(K.HOTSPOT, S.AVAILABLE, 2, P19),
            G(K.HOTSPOT, S.SOLD, 1, P14), G(K.HOTSPOT, S.RECYCLED, 1),
            G(K.BASIC_PHONE, S.AVAILABLE, 2, P14), G(K.BASIC_PHONE, S.SOLD, 2, P14),
            G(K.BASIC_PHONE, S.AVAILABLE, 2, P19), G(K.BASIC_PHONE, S.TO_REPAIR, 1, CR),
        ),
        tax_receipt=True,
    ),
    DonationSeed(
        PARC, NORD, 40, DonationSource.COLLECTION_PLATFORM,
        "Banque du Parc, agence de Créteil, 4 place Salvador-Allende, 94000 Créteil",
        (
            G(K.LAPTOP, S.RECEIVED, 5), G(K.LAPTOP, S.AT_REFURBISHER, 8),
            G(K.LAPTOP, S.BACK_FROM_WORKSHOP, 4), G(K.LAPTOP, S.BACK_FROM_WORKSHOP, 1, LOST),
            G(K.LAPTOP, S.TO_CHECK, 3, CR),
            G(K.DESKTOP, S.AT_REFURBISHER, 4), G(K.DESKTOP, S.BACK_FROM_WORKSHOP, 2),
        ),
    ),
    DonationSeed(
        LITTORAL, RHONE, 150, DonationSource.DIRECT,
        "Énergies Littoral, 40 quai du Lazaret, 13002 Marseille",
        (
            G(K.SMARTPHONE, S.SOLD, 4, P19), G(K.SMARTPHONE, S.AVAILABLE, 3, P19),
            G(K.SMARTPHONE, S.RECYCLED, 4), G(K.SMARTPHONE, S.SPARE_PARTS, 3),
            G(K.SMARTPHONE, S.AVAILABLE, 2, CR),
            G(K.TABLET, S.AVAILABLE, 2, CR), G(K.TABLET, S.SOLD, 1, CR),
            G(K.TABLET, S.TO_REPAIR, 1, CR), G(K.TABLET, S.RESERVED, 1, CR),
            G(K.HOTSPOT, S.AVAILABLE, 1, P19), G(K.HOTSPOT, S.AT_REFURBISHER, 2),
        ),
    ),
    DonationSeed(
        LITTORAL, RHONE, 20, DonationSource.COLLECTION_PLATFORM,
        "Énergies Littoral, centre de Fos-sur-Mer, 13270 Fos-sur-Mer",
        (
            G(K.SMARTPHONE, S.RECEIVED, 8), G(K.SMARTPHONE, S.AT_REFURBISHER, 6),
            G(K.BASIC_PHONE, S.RECEIVED, 4), G(K.BASIC_PHONE, S.AT_REFURBISHER, 3),
            G(K.BASIC_PHONE, S.RECYCLED, 1),
        ),
    ),
]  # fmt: skip

# Why a device was set aside (the service requires a reason).
WORKSHOP_REASONS = [
    "Carte mère hors service",
    "Écran et coque cassés, pas rentable à réparer",
    "Trop ancien pour un système à jour",
    "Oxydation après un dégât des eaux",
]
SITE_REASONS = [
    "Pièce introuvable, gardé pour les pièces",
    "Réparation trop coûteuse",
    "Écran cassé pendant le transport",
]
AFTER_SALES_REASONS = [
    "Batterie qui ne tient plus la charge, sous garantie",
    "Écran qui scintille depuis une semaine",
    "Ne s'allume plus, rapporté par la personne",
]
FAILURES: list[tuple[CheckPoint, str]] = [
    (CheckPoint.SCREEN, "Pixels morts en bas à droite de l'écran."),
    (CheckPoint.INPUT, "Deux touches ne répondent pas."),
    (CheckPoint.SOUND, "Haut-parleur qui grésille."),
    (CheckPoint.CHARGER, "Chargeur manquant dans le carton."),
    (CheckPoint.WIFI, "Ne trouve aucun réseau Wi-Fi."),
]
# Scanned at the stock count but not expected there (a phone someone left at the desk).
UNEXPECTED_SERIAL = "R58N71KQXWZ"
# Data, not interface: written once in French like the other demo texts.
ANNOUNCED_NOTE = "Don annoncé par l'entreprise, enlèvement prévu la semaine prochaine."
DISCREPANCY_NOTE = "Un ordinateur portable manquait dans le carton, signalé à l'atelier."


# Demo accounts (local part of the e-mail) acting at each site.
CHECKERS = {
    P19: ("benevole.paris19", "conseiller.paris19"),
    P14: ("conseiller.paris19",),
    CR: ("responsable.creteil", "conseillere.creteil"),
}
STAFF = {
    P19: ("responsable.paris19", "conseiller.paris19", "conseillere2.paris19"),
    P14: ("conseiller.paris19",),
    CR: ("conseillere.creteil", "responsable.creteil"),
}
OPERATORS = {SECONDE_VIE: "Karim Haddad", NORD: "Aurélie Vasseur", RHONE: "Kevin Masson"}


def price_on(kind: str, grade: str, on: date) -> Decimal:
    change_kind, change_grade, amount, valid_from = PRICE_CHANGE
    if (kind, grade) == (change_kind, change_grade) and on >= valid_from:
        return amount
    return Decimal(PRICES[kind][Grade.values.index(grade)])
