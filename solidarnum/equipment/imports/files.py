"""The file of a batch of devices, as a workshop sends it: columns, reading, template.

`read_device_file` turns the uploaded bytes into a `tablib.Dataset` for `resources.DeviceResource`.
Format (.csv in UTF-8 with or without BOM, ";" or "," separator; .xlsx), size, headers and row
count are checked here, before any row is looked at; each problem is a `ServiceError` with a
French message. Headers are matched without case or accents; blank lines are skipped but every row
keeps its line number in the file (column `LINE_COLUMN`), so the report names the line the person
sees in their spreadsheet (line 1 holds the titles).
`plain`, `text_of` and the readers of CSV and XLSX rows are `common.tabular`'s, shared with
the other imports (the operator's code deliveries).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import tablib
from defusedcsv import csv as safe_csv
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.errors import ServiceError
from solidarnum.common.tabular import LINE_COLUMN, csv_rows, is_blank, plain, xlsx_rows


def _header_key(value: object) -> str:
    return plain(str(value or "").replace("\ufeff", "")).replace(" ", "_")


# --- Columns -------------------------------------------------------------------------------------

# (column header, help shown on the import page). The order is the template's.
COLUMNS: list[tuple[str, Any]] = [
    ("type", gettext_lazy("portable, fixe, smartphone, tablette, téléphone simple, borne wifi")),
    ("marque", gettext_lazy("obligatoire, ex. Lenovo")),
    ("modele", gettext_lazy("obligatoire, ex. ThinkPad T480")),
    ("numero_serie", gettext_lazy("obligatoire, unique")),
    ("imei", gettext_lazy("15 chiffres, obligatoire pour un smartphone ou un téléphone simple")),
    ("processeur", gettext_lazy("facultatif")),
    ("ram_go", gettext_lazy("mémoire vive en Go, nombre entier")),
    ("stockage_go", gettext_lazy("stockage en Go, nombre entier")),
    ("ecran_pouces", gettext_lazy("taille d'écran en pouces, ex. 15,6")),
    ("systeme", gettext_lazy("système d'exploitation, ex. Ubuntu 24.04")),
    ("grade", gettext_lazy("A, B ou C")),
    ("batterie_pct", gettext_lazy("santé de la batterie, de 0 à 100")),
    (
        "effacement_methode",
        gettext_lazy("réécriture, cryptographique, réinitialisation, destruction"),
    ),
    ("effacement_outil", gettext_lazy("logiciel utilisé, ex. Blancco Drive Eraser")),
    ("effacement_date", gettext_lazy("jj/mm/aaaa")),
    ("effacement_operateur", gettext_lazy("personne ou atelier qui a effacé")),
    ("effacement_resultat", gettext_lazy("réussi ou échec")),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]
REQUIRED_COLUMNS = ["type", "marque", "modele", "numero_serie"]

# Other spellings people use for the same columns (compared after `_header_key`).
HEADER_ALIASES = {
    "type_d_appareil": "type",
    "type_appareil": "type",
    "brand": "marque",
    "model": "modele",
    "numero_de_serie": "numero_serie",
    "n_de_serie": "numero_serie",
    "no_de_serie": "numero_serie",
    "n_serie": "numero_serie",
    "serie": "numero_serie",
    "serial": "numero_serie",
    "ram": "ram_go",
    "memoire_vive": "ram_go",
    "stockage": "stockage_go",
    "ecran": "ecran_pouces",
    "systeme_d_exploitation": "systeme",
    "os": "systeme",
    "batterie": "batterie_pct",
    "sante_batterie": "batterie_pct",
}


# --- Reading the file ----------------------------------------------------------------------------


def read_device_file(file_name: str, content: bytes) -> tablib.Dataset:
    """The rows of an uploaded file, checked as a whole. Raises `ServiceError`."""
    max_bytes = settings.EQUIPMENT_IMPORT_MAX_BYTES
    if len(content) > max_bytes:
        raise ServiceError(
            _("Le fichier est trop lourd (%(size)s) : %(max)s au maximum.")
            % {"size": filesizeformat(len(content)), "max": filesizeformat(max_bytes)}
        )
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if extension == "csv":
        rows = csv_rows(content)
    elif extension == "xlsx":
        rows = xlsx_rows(content)
    elif extension in ("xls", "ods", "numbers"):
        raise ServiceError(
            _(
                "Ce format de tableur n'est pas accepté : enregistrez le fichier au format "
                "Excel (.xlsx) ou « CSV UTF-8 » (.csv)."
            )
        )
    else:
        raise ServiceError(_("Seuls les fichiers CSV (.csv) et Excel (.xlsx) sont acceptés."))
    return _dataset(rows)


def _dataset(rows: Iterator[tuple[int, list[Any]]]) -> tablib.Dataset:
    header: list[str] | None = None
    keep: list[int] = []
    data: list[list[Any]] = []
    max_rows = settings.EQUIPMENT_IMPORT_MAX_ROWS
    raw_rows: list[tuple[int, list[Any]]] = []
    for number, row in rows:
        if is_blank(row):
            continue
        if header is None:
            header, keep = _headers(row)
            continue
        raw_rows.append((number, row))
        if len(raw_rows) > max_rows:
            raise ServiceError(
                _(
                    "Le fichier contient trop de lignes : %(max)s appareils au maximum par "
                    "import. Découpez-le en plusieurs fichiers."
                )
                % {"max": max_rows}
            )
    if header is None:
        raise ServiceError(_("Le fichier est vide."))
    if not raw_rows:
        raise ServiceError(
            _("Le fichier ne contient aucun appareil : seulement la ligne des titres.")
        )
    kept = set(keep)
    for number, row in raw_rows:
        if not is_blank(cell for index, cell in enumerate(row) if index not in kept):
            raise ServiceError(
                _(
                    "La ligne %(line)s contient des valeurs sans titre de colonne : vérifiez "
                    "le séparateur (« ; » ou « , ») et les titres."
                )
                % {"line": number}
            )
        cells = [row[index] if index < len(row) else None for index in keep]
        data.append([*cells, number])
    dataset = tablib.Dataset(headers=[*header, LINE_COLUMN])
    for values in data:
        dataset.append(values)
    return dataset


def _headers(row: list[Any]) -> tuple[list[str], list[int]]:
    """The known column names of the title row and the positions they come from."""
    names: list[str] = []
    keep: list[int] = []
    unknown: list[str] = []
    for index, cell in enumerate(row):
        raw = "" if cell is None else str(cell).strip()
        if not raw:
            continue  # an empty title over an empty column; values under it are refused later
        key = _header_key(raw)
        key = HEADER_ALIASES.get(key, key)
        if key not in COLUMN_NAMES:
            unknown.append(raw)
            continue
        if key in names:
            raise ServiceError(_("La colonne « %(name)s » apparaît deux fois.") % {"name": key})
        names.append(key)
        keep.append(index)
    if unknown:
        raise ServiceError(
            _("Colonnes inconnues : %(unknown)s. Colonnes acceptées : %(known)s.")
            % {
                "unknown": ", ".join(f"« {name} »" for name in unknown),
                "known": ", ".join(COLUMN_NAMES),
            }
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ServiceError(
            _(
                "Colonnes obligatoires absentes : %(missing)s. La première ligne du fichier "
                "doit contenir les titres des colonnes (voir le modèle de fichier)."
            )
            % {"missing": ", ".join(missing)}
        )
    return names, keep


# --- The template --------------------------------------------------------------------------------


def template_rows(today: date | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and two example rows (a laptop, a smartphone with a valid IMEI)."""
    day = (today or timezone.localdate()).strftime("%d/%m/%Y")
    laptop = {
        "type": "portable",
        "marque": "Lenovo",
        "modele": "ThinkPad T480",
        "numero_serie": "PF1ABCDE",
        "imei": "",
        "processeur": "Intel Core i5-8350U",
        "ram_go": "8",
        "stockage_go": "256",
        "ecran_pouces": "14",
        "systeme": "Ubuntu 24.04",
        "grade": "B",
        "batterie_pct": "85",
        "effacement_methode": "réécriture",
        "effacement_outil": "Blancco Drive Eraser",
        "effacement_date": day,
        "effacement_operateur": "Atelier",
        "effacement_resultat": "réussi",
    }
    phone = {
        "type": "smartphone",
        "marque": "Samsung",
        "modele": "Galaxy A52",
        "numero_serie": "R58R12ABCDE",
        "imei": "490154203237518",
        "processeur": "Snapdragon 720G",
        "ram_go": "6",
        "stockage_go": "128",
        "ecran_pouces": "6,5",
        "systeme": "Android 14",
        "grade": "A",
        "batterie_pct": "90",
        "effacement_methode": "réinitialisation",
        "effacement_outil": "Réinitialisation chiffrée Android",
        "effacement_date": day,
        "effacement_operateur": "Atelier",
        "effacement_resultat": "réussi",
    }
    return COLUMN_NAMES, [[row[name] for name in COLUMN_NAMES] for row in (laptop, phone)]


def template_csv(today: date | None = None) -> str:
    """The template as CSV with a BOM and ";", the way French Excel opens it directly."""
    headers, rows = template_rows(today)
    out = io.StringIO()
    writer = safe_csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
