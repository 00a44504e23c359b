import pytest

from solidarnum.notifications.gsm import fold, is_gsm, prepare_sms, sms_length


def test_french_keeps_the_gsm_accents_and_folds_the_others():
    text = prepare_sms("Rendez-vous à l'accueil, fenêtre « Maître », leçon : été", "fr")
    assert text == 'Rendez-vous à l\'accueil, fenetre " Maitre ", lecon : été'
    assert is_gsm(text)


def test_typography_and_ligatures_have_plain_equivalents():
    assert fold("l’œuvre – déjà…") == "l'oeuvre - déjà..."


def test_other_scripts_are_not_folded():
    text = prepare_sms("مرحبا", "ar")
    assert text == "مرحبا"
    assert sms_length(text).encoding == "UCS-2"


@pytest.mark.parametrize(
    ("length", "segments"), [(0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3)]
)
def test_gsm_segments(length, segments):
    assert sms_length("a" * length).segments == segments


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_segments(length, segments):
    assert sms_length("ж" * length).segments == segments


def test_extension_characters_count_twice():
    assert sms_length("€" * 80).characters == 160
    assert sms_length("€" * 80).segments == 1
    assert sms_length("€" * 81).segments == 2


def test_one_character_outside_gsm_makes_the_whole_text_ucs2():
    assert sms_length("a" * 100 + "ê").segments == 2  # 101 UCS-2 characters
    assert sms_length(fold("a" * 100 + "ê")).segments == 1
