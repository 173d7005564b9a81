import pytest

from app.phone import display_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("082111476069", "6282111476069"),
        ("+62 821-1147-6069", "6282111476069"),
        ("6282111476069", "6282111476069"),
        ("82111476069", "6282111476069"),
        ("0062 82111476069", "6282111476069"),
        ("6282111476069@s.whatsapp.net", "6282111476069"),
        ("6282111476069:12@s.whatsapp.net", "6282111476069"),
        (6282111476069, "6282111476069"),
        ("", None),
        ("abc", None),
        ("123", None),
        ("0000000000", None),
        ("620812345678", None),
        ("+1 415 555 0100", "14155550100"),
        (None, None),
        # Digits of other scripts, as a phone keyboard or an IME may type them.
        ("٠٨١٢٣٤٥٦٧٨٩٠", "6281234567890"),
        ("۰۸۱۲-۳۴۵۶-۷۸۹۰", "6281234567890"),
        ("０８１２３４５６７８９０", "6281234567890"),
        ("+62 (0) 812 3456 7890", "6281234567890"),
        ("+62(0)812-3456-7890", "6281234567890"),
        ("(0)812 3456 7890", "6281234567890"),
        ("0812" * 1000, None),
        ("²⁰⁸¹²³⁴⁵⁶⁷⁸⁹⁰", None),
    ],
)
def test_it_makes_one_form_of_every_number(raw, canonical):
    assert normalize_phone(raw) == canonical


def test_it_shows_the_local_form():
    assert display_phone("6282111476069") == "082111476069"
