"""`makemessages` limited to what people read (ADR 0025).

Django's command extracts every message of the project; ours keeps the files listed in
`solidarnum.common.language.TRANSLATED_SOURCES`, so that a translator's catalogue holds only the
messages of the pages and documents made for the people served (staff pages stay French). Run it
from the repository root: `python manage.py makemessages -l ar`.

Every one of those files goes to the project's catalogues (`LOCALE_PATHS`), even one under an app
that keeps a `locale/` folder of its own: those hold the texts of the messages the app registers
with `notifications` (SMS and e-mails), kept by hand, which Django's command would otherwise
rewrite from the few files listed here.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.commands import makemessages

from solidarnum.common.language import TRANSLATED_SOURCES


class Command(makemessages.Command):
    help = (
        "Extract the messages of the pages people read (TRANSLATED_SOURCES) into solidarnum/locale."
    )

    def find_files(self, root: str) -> list[Any]:
        wanted = {Path(settings.BASE_DIR, path).resolve() for path in TRANSLATED_SOURCES}
        found = [item for item in super().find_files(root) if Path(item.path).resolve() in wanted]
        for item in found:
            item.locale_dir = self.default_locale_path
        return found
