"""Demo data for the network: reception points, partner structures, relays, donors and
refurbishing partners.

Everything here is fictitious but well formed: SIRETs pass their check digits, phone numbers
come from the ranges ARCEP reserves for fiction (01 99 00, 03 53 01, 04 65 71, 05 36 49),
e-mail addresses use reserved example domains. Street names are real so that maps look right;
organisation and person names are invented.

Every record is written with `update_or_create` on its natural key (name for reception points,
SIRET for companies and partner structures), so seeding twice changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from stdnum import luhn

from .enums import PlaceService, Typology
from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner

# Keys of the reception points, used to attach partner structures and to seed users.
PARIS_19 = "paris_19"
PARIS_14 = "paris_14"
PARIS_12 = "paris_12"
SAINT_DENIS = "saint_denis"
ANTONY = "antony"
CRETEIL = "creteil"
MARSEILLE = "marseille"
LYON = "lyon"
LILLE = "lille"
GRENOBLE = "grenoble"
BORDEAUX = "bordeaux"
STRASBOURG = "strasbourg"
PARIS_20_CLOSED = "paris_20_closed"


class DemoNetwork(TypedDict):
    """The objects the accounts seeding attaches demo users to."""

    reception_points: dict[str, ReceptionPoint]
    paris_19: ReceptionPoint
    paris_14: ReceptionPoint
    creteil: ReceptionPoint
    paris_19_structure: PartnerStructure
    relay: PartnerStructure
    donor: DonorCompany
    refurbisher: RefurbishingPartner


def fictitious_siret(number: int, establishment: int = 1) -> str:
    """A valid but fictitious SIRET, always the same for the same arguments.

    python-stdnum checks both the Luhn key of the 14 digits and that of the SIREN (first 9),
    so the SIREN gets its own key first. SIRENs starting with "000" are not attributed.
    """
    siren_base = f"000{number:05d}"
    siren = siren_base + luhn.calc_check_digit(siren_base)
    siret_base = f"{siren}{establishment:04d}"
    return siret_base + luhn.calc_check_digit(siret_base)


@dataclass(frozen=True)
class Address:
    address: str
    postcode: str
    commune: str
    insee_code: str
    latitude: str
    longitude: str

    def as_fields(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "postcode": self.postcode,
            "commune": self.commune,
            "insee_code": self.insee_code,
            "latitude": Decimal(self.latitude),
            "longitude": Decimal(self.longitude),
        }


@dataclass(frozen=True)
class PlaceSeed:
    key: str
    name: str
    where: Address
    phone: str
    email: str
    opening_hours: str
    services: list[PlaceService]
    accessibility_notes: str
    is_active: bool = True


@dataclass(frozen=True)
class StructureSeed:
    siret_number: int
    name: str
    typology: Typology
    where: Address
    reception_point: str
    contact_name: str
    contact_email: str
    phone: str
    opening_hours: str = ""
    is_relay: bool = False


@dataclass(frozen=True)
class CompanySeed:
    siret_number: int
    name: str
    where: Address
    contact_name: str
    email: str
    phone: str


CompanyT = TypeVar("CompanyT", DonorCompany, RefurbishingPartner)

S = PlaceService

RECEPTION_POINTS: list[PlaceSeed] = [
    PlaceSeed(
        PARIS_19,
        "Paris 19e",
        Address("45 rue de Flandre", "75019", "Paris", "75119", "48.888900", "2.374300"),
        "+33199001901",
        "paris19@accueil.example.org",
        "Mo-Fr 09:30-12:30,14:00-18:00; Sa 10:00-13:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.PARENTING, S.ACCESS, S.EQUIPMENT],
        "Accès de plain-pied, toilettes adaptées, boucle magnétique à l'accueil.",
    ),
    PlaceSeed(
        PARIS_14,
        "Paris 14e",
        Address("8 rue Didot", "75014", "Paris", "75114", "48.831800", "2.318800"),
        "+33199001401",
        "paris14@accueil.example.org",
        "Mo-Fr 10:00-13:00,14:00-18:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.SAFETY, S.ACCESS, S.EQUIPMENT],
        "Rez-de-chaussée accessible en fauteuil roulant ; ascenseur pour la salle d'atelier.",
    ),
    PlaceSeed(
        PARIS_12,
        "Paris 12e (Reuilly)",
        Address("31 rue de Reuilly", "75012", "Paris", "75112", "48.846500", "2.388000"),
        "+33199001201",
        "reuilly@accueil.example.org",
        "Mo,Tu,Th,Fr 09:30-12:30,14:00-17:30; We 14:00-19:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.UNDERSTANDING, S.ACCESS],
        "Une marche à l'entrée, rampe amovible sur demande.",
    ),
    PlaceSeed(
        SAINT_DENIS,
        "Saint-Denis",
        Address("5 rue de la République", "93200", "Saint-Denis", "93066", "48.936200", "2.357400"),
        "+33199009301",
        "saint-denis@accueil.example.org",
        "Mo-Fr 09:00-12:30,13:30-17:30; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.ACCESS, S.EQUIPMENT],
        "Accès de plain-pied ; documents en FALC ; accueil possible en arabe et en anglais.",
    ),
    PlaceSeed(
        ANTONY,
        "Antony",
        Address(
            "20 avenue de la Division-Leclerc", "92160", "Antony", "92002", "48.754500", "2.298000"
        ),
        "+33199009201",
        "antony@accueil.example.org",
        "Tu-Fr 09:30-12:30,14:00-17:30; Sa 09:30-12:30; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.PARENTING, S.ACCESS],
        "Accès de plain-pied, place de stationnement réservée devant l'entrée.",
    ),
    PlaceSeed(
        CRETEIL,
        "Créteil",
        Address(
            "10 avenue du Général-de-Gaulle", "94000", "Créteil", "94028", "48.790400", "2.455600"
        ),
        "+33199009401",
        "creteil@accueil.example.org",
        "Mo-Fr 09:00-12:30,13:30-17:30; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.SAFETY, S.ACCESS, S.EQUIPMENT],
        "Ascenseur, toilettes adaptées ; chiens guides bienvenus.",
    ),
    PlaceSeed(
        MARSEILLE,
        "Marseille",
        Address("25 rue Belle-de-Mai", "13003", "Marseille", "13203", "43.312500", "5.388000"),
        "+33465711301",
        "marseille@accueil.example.org",
        "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.ACCESS, S.EQUIPMENT],
        "Accès de plain-pied ; accueil possible en arabe, comorien et anglais.",
    ),
    PlaceSeed(
        LYON,
        "Lyon",
        Address("40 avenue Jean-Jaurès", "69007", "Lyon", "69387", "45.749000", "4.843500"),
        "+33465716901",
        "lyon@accueil.example.org",
        "Mo-Fr 09:30-12:30,14:00-18:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.PARENTING, S.ACCESS, S.EQUIPMENT],
        "Ascenseur ; salle d'atelier équipée d'un clavier à gros caractères.",
    ),
    PlaceSeed(
        LILLE,
        "Lille",
        Address("15 rue Léon-Gambetta", "59000", "Lille", "59350", "50.630500", "3.054000"),
        "+33353015901",
        "lille@accueil.example.org",
        "Mo-Th 09:00-12:30,13:30-17:30; Fr 09:00-12:30; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.SAFETY, S.ACCESS, S.EQUIPMENT],
        "Accès de plain-pied par l'entrée de la cour.",
    ),
    PlaceSeed(
        GRENOBLE,
        "Grenoble",
        Address("18 rue Abbé-Grégoire", "38000", "Grenoble", "38185", "45.184500", "5.713000"),
        "+33465713801",
        "grenoble@accueil.example.org",
        "Tu-Sa 10:00-13:00,14:00-18:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.LEISURE, S.ACCESS],
        "Accès de plain-pied ; toilettes adaptées.",
    ),
    PlaceSeed(
        BORDEAUX,
        "Bordeaux",
        Address("12 cours de la Marne", "33800", "Bordeaux", "33063", "44.829000", "-0.568000"),
        "+33536493301",
        "bordeaux@accueil.example.org",
        "Mo-Fr 09:30-12:30,14:00-17:30; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.EMPLOYMENT, S.ACCESS, S.EQUIPMENT],
        "Ascenseur ; boucle magnétique à l'accueil.",
    ),
    PlaceSeed(
        STRASBOURG,
        "Strasbourg",
        Address("35 route du Polygone", "67100", "Strasbourg", "67482", "48.567000", "7.763000"),
        "+33353016701",
        "strasbourg@accueil.example.org",
        "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        [S.ADMIN, S.DAILY_TOOLS, S.PARENTING, S.ACCESS],
        "Accès de plain-pied ; accueil possible en allemand et en turc.",
    ),
    # A closed site, kept for history: the public directory must not show it.
    PlaceSeed(
        PARIS_20_CLOSED,
        "Paris 20e (fermé)",
        Address("102 rue des Pyrénées", "75020", "Paris", "75120", "48.861000", "2.398000"),
        "+33199002001",
        "paris20@accueil.example.org",
        "Mo-Fr 10:00-17:00",
        [S.ADMIN, S.ACCESS],
        "Site fermé : les personnes sont accueillies à Paris 19e.",
        is_active=False,
    ),
]

T = Typology
STD_HOURS = "Mo-Fr 09:00-12:30,13:30-17:00; PH off"

PARTNER_STRUCTURES: list[StructureSeed] = [
    # Paris 19e
    StructureSeed(
        1,
        "Espace départemental des solidarités Paris 19e",
        T.DEPT,
        Address("8 rue de Tanger", "75019", "Paris", "75119", "48.886000", "2.371000"),
        PARIS_19,
        "Nadia Benali",
        "nadia.benali@eds19.example.org",
        "+33199001911",
        STD_HOURS,
    ),
    StructureSeed(
        2,
        "CHRS Les Lilas (fictif)",
        T.CHRS,
        Address("27 rue de Crimée", "75019", "Paris", "75119", "48.882000", "2.380500"),
        PARIS_19,
        "Julien Moreau",
        "julien.moreau@chrs-lilas.example.org",
        "+33199001912",
    ),
    StructureSeed(
        3,
        "Mission locale Paris Nord-Est (fictive)",
        T.ML,
        Address("3 avenue Jean-Jaurès", "75019", "Paris", "75119", "48.884500", "2.374000"),
        PARIS_19,
        "Sarah Lefèvre",
        "sarah.lefevre@ml-nordest.example.org",
        "+33199001913",
        "Mo-Fr 09:00-17:30; PH off",
    ),
    StructureSeed(
        4,
        "Association Passerelles 19 (fictive)",
        T.ASSO,
        Address("60 rue Petit", "75019", "Paris", "75119", "48.885000", "2.386000"),
        PARIS_19,
        "Moussa Diallo",
        "moussa.diallo@passerelles19.example.org",
        "+33199001914",
    ),
    # Paris 14e
    StructureSeed(
        5,
        "Centre d'action sociale Paris 14e (fictif)",
        T.CCAS,
        Address("20 rue Raymond-Losserand", "75014", "Paris", "75114", "48.836500", "2.320000"),
        PARIS_14,
        "Claire Dubois",
        "claire.dubois@cas14.example.org",
        "+33199001411",
        STD_HOURS,
    ),
    StructureSeed(
        6,
        "Médiathèque des Plantes (fictive)",
        T.BIB,
        Address("42 rue des Plantes", "75014", "Paris", "75114", "48.830000", "2.317500"),
        PARIS_14,
        "Antoine Girard",
        "antoine.girard@mediatheque-plantes.example.org",
        "+33199001412",
        "Tu-Sa 10:00-19:00",
    ),
    # Paris 12e (Reuilly)
    StructureSeed(
        7,
        "Agence France Travail Paris 12e (fictive)",
        T.FT,
        Address("15 rue de Charenton", "75012", "Paris", "75112", "48.850500", "2.376000"),
        PARIS_12,
        "Isabelle Roux",
        "isabelle.roux@ft12.example.org",
        "+33199001211",
        "Mo-Fr 08:30-12:30; PH off",
    ),
    StructureSeed(
        8,
        "CHU Halte Reuilly (fictif)",
        T.CHU,
        Address("50 boulevard de Reuilly", "75012", "Paris", "75112", "48.840000", "2.392500"),
        PARIS_12,
        "Karim Haddad",
        "karim.haddad@halte-reuilly.example.org",
        "+33199001212",
    ),
    # Saint-Denis
    StructureSeed(
        9,
        "CCAS de Saint-Denis (fictif)",
        T.CCAS,
        Address("7 rue Gabriel-Péri", "93200", "Saint-Denis", "93066", "48.935500", "2.358000"),
        SAINT_DENIS,
        "Fatou Traoré",
        "fatou.traore@ccas-saintdenis.example.org",
        "+33199009311",
        STD_HOURS,
    ),
    StructureSeed(
        10,
        "CADA Plaine Saint-Denis (fictif)",
        T.CADA,
        Address(
            "120 avenue du Président-Wilson",
            "93210",
            "Saint-Denis",
            "93066",
            "48.912000",
            "2.360000",
        ),
        SAINT_DENIS,
        "Thomas Petit",
        "thomas.petit@cada-plaine.example.org",
        "+33199009312",
    ),
    # Antony
    StructureSeed(
        11,
        "Espace départemental d'action sociale d'Antony (fictif)",
        T.DEPT,
        Address("3 rue Velpeau", "92160", "Antony", "92002", "48.753500", "2.296000"),
        ANTONY,
        "Sophie Laurent",
        "sophie.laurent@edas-antony.example.org",
        "+33199009211",
        STD_HOURS,
    ),
    # Créteil
    StructureSeed(
        12,
        "CAF du Val-de-Marne, accueil de Créteil (fictif)",
        T.CAF,
        Address("2 voie Félix-Éboué", "94000", "Créteil", "94028", "48.784500", "2.454000"),
        CRETEIL,
        "Marc Fontaine",
        "marc.fontaine@caf94.example.org",
        "+33199009411",
        "Mo-Fr 08:30-16:30; PH off",
    ),
    StructureSeed(
        13,
        "Espace départemental des solidarités de Créteil (fictif)",
        T.DEPT,
        Address("35 rue de Mesly", "94000", "Créteil", "94028", "48.792500", "2.457000"),
        CRETEIL,
        "Amina Cissé",
        "amina.cisse@eds-creteil.example.org",
        "+33199009412",
        STD_HOURS,
    ),
    # Marseille
    StructureSeed(
        14,
        "Association Phocée Entraide (fictive)",
        T.ASSO,
        Address("14 boulevard National", "13003", "Marseille", "13203", "43.312000", "5.386000"),
        MARSEILLE,
        "Lucie Bertrand",
        "lucie.bertrand@phocee-entraide.example.org",
        "+33465711311",
    ),
    StructureSeed(
        15,
        "CHRS Les Calanques (fictif)",
        T.CHRS,
        Address("80 rue de Lyon", "13015", "Marseille", "13215", "43.332000", "5.358000"),
        MARSEILLE,
        "Yacine Bouzid",
        "yacine.bouzid@chrs-calanques.example.org",
        "+33465711312",
    ),
    # Lyon
    StructureSeed(
        16,
        "Mission locale Lyon Guillotière (fictive)",
        T.ML,
        Address("5 place Gabriel-Péri", "69007", "Lyon", "69387", "45.753500", "4.844000"),
        LYON,
        "Élodie Garnier",
        "elodie.garnier@ml-guillotiere.example.org",
        "+33465716911",
        "Mo-Fr 09:00-12:30,13:30-17:30; PH off",
    ),
    # Lille
    StructureSeed(
        17,
        "France Services Lille-Sud (fictif)",
        T.FS,
        Address(
            "83 rue du Faubourg-des-Postes", "59000", "Lille", "59350", "50.613000", "3.045000"
        ),
        LILLE,
        "Nicolas Lemaire",
        "nicolas.lemaire@fs-lillesud.example.org",
        "+33353015911",
        STD_HOURS,
    ),
    # Grenoble
    StructureSeed(
        18,
        "EPN Villeneuve (fictif)",
        T.EPN,
        Address("10 galerie de l'Arlequin", "38100", "Grenoble", "38185", "45.164000", "5.735000"),
        GRENOBLE,
        "Chloé Mercier",
        "chloe.mercier@epn-villeneuve.example.org",
        "+33465713811",
        "Tu-Fr 14:00-18:00; Sa 10:00-12:00",
    ),
    # Bordeaux
    StructureSeed(
        19,
        "CCAS de Bordeaux, antenne Bastide (fictive)",
        T.CCAS,
        Address("7 avenue Thiers", "33100", "Bordeaux", "33063", "44.843000", "-0.558000"),
        BORDEAUX,
        "Pierre Lambert",
        "pierre.lambert@ccas-bastide.example.org",
        "+33536493311",
        STD_HOURS,
    ),
    # Strasbourg
    StructureSeed(
        20,
        "Mairie de quartier Neudorf (fictive)",
        T.MUNI,
        Address("25 route du Polygone", "67100", "Strasbourg", "67482", "48.570000", "7.760000"),
        STRASBOURG,
        "Anne Schmitt",
        "anne.schmitt@mairie-neudorf.example.org",
        "+33353016711",
        "Mo-Fr 08:30-12:00,13:30-17:00",
    ),
    # Relais numériques, in towns around the reception points.
    StructureSeed(
        21,
        "CCAS de Melun (fictif)",
        T.CCAS,
        Address("4 rue Saint-Liesne", "77000", "Melun", "77288", "48.541000", "2.662000"),
        CRETEIL,
        "Véronique Henry",
        "veronique.henry@ccas-melun.example.org",
        "+33199007711",
        "Mo-Fr 09:00-12:00,14:00-17:30; PH off",
        is_relay=True,
    ),
    StructureSeed(
        22,
        "Centre social Beauval (fictif)",
        T.ASSO,
        Address(
            "6 avenue du Président-Roosevelt", "77100", "Meaux", "77284", "48.970000", "2.890000"
        ),
        SAINT_DENIS,
        "Olivier Perrin",
        "olivier.perrin@cs-beauval.example.org",
        "+33199007712",
        "Mo-Fr 09:30-12:30,14:00-18:00",
        is_relay=True,
    ),
    StructureSeed(
        23,
        "Maison départementale des solidarités d'Évry (fictive)",
        T.DEPT,
        Address(
            "1 cours Monseigneur-Roméro",
            "91000",
            "Évry-Courcouronnes",
            "91228",
            "48.630000",
            "2.442000",
        ),
        ANTONY,
        "Samia Khelifi",
        "samia.khelifi@mds-evry.example.org",
        "+33199009111",
        "Mo-Fr 09:00-12:30,13:30-17:00; PH off",
        is_relay=True,
    ),
    StructureSeed(
        24,
        "France Services Massy Opéra (fictif)",
        T.FS,
        Address("8 allée de l'Opéra", "91300", "Massy", "91377", "48.729000", "2.275000"),
        ANTONY,
        "Guillaume Roche",
        "guillaume.roche@fs-massy.example.org",
        "+33199009112",
        "Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
        is_relay=True,
    ),
    StructureSeed(
        25,
        "Médiathèque du Port-à-l'Anglais (fictive)",
        T.BIB,
        Address(
            "20 avenue Paul-Vaillant-Couturier",
            "94400",
            "Vitry-sur-Seine",
            "94081",
            "48.788000",
            "2.392000",
        ),
        CRETEIL,
        "Laura Nguyen",
        "laura.nguyen@mediatheque-vitry.example.org",
        "+33199009413",
        "Tu-Sa 10:00-18:00",
        is_relay=True,
    ),
    StructureSeed(
        26,
        "Association Val-d'Argent Solidaire (fictive)",
        T.ASSO,
        Address("10 rue de la Liberté", "95100", "Argenteuil", "95018", "48.950000", "2.248000"),
        SAINT_DENIS,
        "Rachid Amrani",
        "rachid.amrani@valdargent.example.org",
        "+33199009511",
        "Mo-Fr 14:00-18:00; Sa 10:00-12:30",
        is_relay=True,
    ),
    StructureSeed(
        27,
        "CCAS d'Aubagne (fictif)",
        T.CCAS,
        Address("3 cours Voltaire", "13400", "Aubagne", "13005", "43.292500", "5.570000"),
        MARSEILLE,
        "Marie-Pierre Blanc",
        "mariepierre.blanc@ccas-aubagne.example.org",
        "+33465711313",
        "Mo-Fr 08:30-12:00,13:30-16:30; PH off",
        is_relay=True,
    ),
    StructureSeed(
        28,
        "Espace numérique Gratte-Ciel (fictif)",
        T.EPN,
        Address(
            "9 avenue Henri-Barbusse", "69100", "Villeurbanne", "69266", "45.769000", "4.880000"
        ),
        LYON,
        "Hugo Chevalier",
        "hugo.chevalier@epn-gratteciel.example.org",
        "+33465716912",
        "Tu-Fr 10:00-12:30,14:00-18:30; Sa 10:00-13:00",
        is_relay=True,
    ),
    StructureSeed(
        29,
        "Mission locale Roubaix-Lys (fictive)",
        T.ML,
        Address("24 boulevard Gambetta", "59100", "Roubaix", "59512", "50.690000", "3.178000"),
        LILLE,
        "Sandrine Leroy",
        "sandrine.leroy@ml-roubaix.example.org",
        "+33353015912",
        "Mo-Fr 09:00-12:30,13:30-17:30",
        is_relay=True,
    ),
    StructureSeed(
        30,
        "Maison des habitants Essarts (fictive)",
        T.ASSO,
        Address("5 avenue des Essarts", "38130", "Échirolles", "38151", "45.145000", "5.717000"),
        GRENOBLE,
        "Bruno Faure",
        "bruno.faure@mdh-essarts.example.org",
        "+33465713812",
        "Mo-Fr 09:00-12:00,14:00-18:00",
        is_relay=True,
    ),
    StructureSeed(
        31,
        "Centre social Arlac (fictif)",
        T.ASSO,
        Address("12 avenue de l'Yser", "33700", "Mérignac", "33281", "44.837000", "-0.620000"),
        BORDEAUX,
        "Inès Da Silva",
        "ines.dasilva@cs-arlac.example.org",
        "+33536493312",
        "Mo-Fr 09:00-12:00,13:30-18:00",
        is_relay=True,
    ),
    StructureSeed(
        32,
        "CCAS de Schiltigheim (fictif)",
        T.CCAS,
        Address(
            "110 route de Bischwiller",
            "67300",
            "Schiltigheim",
            "67447",
            "48.606000",
            "7.748000",
        ),
        STRASBOURG,
        "Thierry Koenig",
        "thierry.koenig@ccas-schiltigheim.example.org",
        "+33353016712",
        "Mo-Th 08:30-12:00,14:00-17:00; Fr 08:30-12:00; PH off",
        is_relay=True,
    ),
]

DONORS: list[CompanySeed] = [
    CompanySeed(
        101,
        "Assurances Horizon Mutuelle (fictive)",
        Address("18 rue de Londres", "75009", "Paris", "75109", "48.877500", "2.329000"),
        "Hélène Marchand",
        "rse@horizon-mutuelle.example.com",
        "+33199000911",
    ),
    CompanySeed(
        102,
        "Groupe Ardoise Conseil (fictif)",
        Address("1 parvis de la Défense", "92800", "Puteaux", "92062", "48.892000", "2.236000"),
        "François Delmas",
        "dons-materiel@ardoise-conseil.example.com",
        "+33199009212",
    ),
    CompanySeed(
        103,
        "Banque du Parc (fictive)",
        Address("10 quai Saint-Antoine", "69002", "Lyon", "69382", "45.764000", "4.831000"),
        "Céline Arnaud",
        "engagement@banque-du-parc.example.com",
        "+33465716913",
    ),
    CompanySeed(
        104,
        "Énergies Littoral (fictive)",
        Address("40 quai du Lazaret", "13002", "Marseille", "13202", "43.310000", "5.366000"),
        "Stéphane Gauthier",
        "rse@energies-littoral.example.com",
        "+33465711314",
    ),
]

REFURBISHERS: list[CompanySeed] = [
    CompanySeed(
        201,
        "Atelier Seconde Vie Numérique (fictif)",
        Address("14 rue de la Liberté", "93000", "Bobigny", "93008", "48.908000", "2.440000"),
        "Damien Colin",
        "contact@seconde-vie.example.org",
        "+33199009313",
    ),
    CompanySeed(
        202,
        "Réemploi Solidaire du Nord (fictif)",
        Address("55 rue de Lille", "59200", "Tourcoing", "59599", "50.720000", "3.160000"),
        "Aurélie Vasseur",
        "atelier@reemploi-nord.example.org",
        "+33353015913",
    ),
    CompanySeed(
        203,
        "Ateliers Récup'Info Rhône (fictif)",
        Address("30 avenue Jean-Cagne", "69200", "Vénissieux", "69259", "45.705000", "4.870000"),
        "Kevin Masson",
        "contact@recupinfo-rhone.example.org",
        "+33465716914",
    ),
]


def _seed_reception_points() -> dict[str, ReceptionPoint]:
    places: dict[str, ReceptionPoint] = {}
    for seed in RECEPTION_POINTS:
        place, _created = ReceptionPoint.objects.update_or_create(
            name=seed.name,
            defaults={
                **seed.where.as_fields(),
                "phone": seed.phone,
                "email": seed.email,
                "opening_hours": seed.opening_hours,
                "services": [str(service.value) for service in seed.services],
                "accessibility_notes": seed.accessibility_notes,
                "is_active": seed.is_active,
            },
        )
        places[seed.key] = place
    return places


def _seed_partner_structures(
    places: dict[str, ReceptionPoint],
) -> dict[int, PartnerStructure]:
    structures: dict[int, PartnerStructure] = {}
    for seed in PARTNER_STRUCTURES:
        structure, _created = PartnerStructure.objects.update_or_create(
            siret=fictitious_siret(seed.siret_number),
            defaults={
                **seed.where.as_fields(),
                "name": seed.name,
                "typology": seed.typology.value,
                "reception_point": places[seed.reception_point],
                "contact_name": seed.contact_name,
                "contact_email": seed.contact_email,
                "contact_phone": seed.phone,
                "phone": seed.phone,
                # The public address is the structure's generic one, never the named contact's.
                "email": "accueil@" + seed.contact_email.partition("@")[2],
                "opening_hours": seed.opening_hours,
                "is_relay": seed.is_relay,
                "is_active": True,
            },
        )
        structures[seed.siret_number] = structure
    return structures


def _seed_companies(model: type[CompanyT], seeds: list[CompanySeed]) -> list[CompanyT]:
    companies: list[CompanyT] = []
    for seed in seeds:
        company, _created = model.objects.update_or_create(
            siret=fictitious_siret(seed.siret_number),
            defaults={
                **seed.where.as_fields(),
                "name": seed.name,
                "contact_name": seed.contact_name,
                "email": seed.email,
                "phone": seed.phone,
                "is_active": True,
            },
        )
        companies.append(company)
    return companies


def seed_network() -> DemoNetwork:
    """Create or update the demo network. Safe to run any number of times."""
    places = _seed_reception_points()
    structures = _seed_partner_structures(places)
    donors = _seed_companies(DonorCompany, DONORS)
    refurbishers = _seed_companies(RefurbishingPartner, REFURBISHERS)
    return DemoNetwork(
        reception_points=places,
        paris_19=places[PARIS_19],
        paris_14=places[PARIS_14],
        creteil=places[CRETEIL],
        paris_19_structure=structures[1],
        relay=structures[21],
        donor=donors[0],
        refurbisher=refurbishers[0],
    )
