"""The survey's questions, in easy words (read aloud by the browser when asked)."""

from django.utils.translation import gettext_lazy as _

QUESTIONS = (
    ("learnt", _("Avez-vous appris quelque chose ?")),
    ("clear", _("Les explications étaient-elles claires ?")),
    ("again", _("Voulez-vous revenir ?")),
)
ANSWERS = {"yes": _("Oui"), "bit": _("Un peu"), "no": _("Non")}
