"""Choosing a report's category from its text, as a table of what people actually type."""

import pytest

from app.reporting.matching import best, rule, split_keywords, unreadable_keywords, words

CATEGORIES = {
    "Jaringan": "wifi, internet, jaringan, wi-fi",
    "Listrik": "lampu, listrik, stop kontak, korslet",
    "Pendingin": "ac, ac bocor, pendingin",
    "Air": "bocor, air, kran, wastafel",
    "Kebersihan": "sampah, rumput, toilet kotor",
    "Kafe": "café",
}
RULES = [rule(nama, nama, kata) for nama, kata in CATEGORIES.items()]

CASES = [
    # one keyword, any case, punctuation and emoji around it
    ("wifi mati", "Jaringan"),
    ("WIFI!! mati", "Jaringan"),
    ("#wifi", "Jaringan"),
    ("wifi🔥mati sejak pagi", "Jaringan"),
    ("(AC) ruang 301 panas", "Pendingin"),
    ("AC, ruang 301.", "Pendingin"),
    ("internet\nlemot", "Jaringan"),
    ("kran-nya patah", "Air"),
    ("ac_bocor", "Pendingin"),
    # whole words only
    ("acara di aula perlu kursi", None),
    ("lampunya redup", None),
    ("toiletkotor", None),
    # accents and width ignored either way
    ("Cafe tutup", "Kafe"),
    ("CAFÉ tutup", "Kafe"),
    ("ｗｉｆｉ kampus mati", "Jaringan"),
    # a keyword of several words: those words together, in order
    ("Wi-Fi lemot", "Jaringan"),
    ("wi fi lemot", "Jaringan"),
    ("toilet kotor sekali", "Kebersihan"),
    ("kotor toilet", None),
    ("stop kontak di lab korslet", "Listrik"),
    # the most specific wins: the longest keyword found (in words) ...
    ("ac bocor di ruang 301", "Pendingin"),
    ("AC... bocor!", "Pendingin"),
    # ... then more keywords found ...
    ("air bocor dari ac", "Air"),
    ("internet dan wifi lambat, lampu juga", "Jaringan"),
    # ... then the name, whatever order the categories come in
    ("AC ruang 301 bocor", "Air"),
    ("lampu mati, wifi juga mati", "Jaringan"),
    # nothing
    ("rumput sudah tinggi", "Kebersihan"),
    ("pintu macet", None),
    ("", None),
    (None, None),
    ("🙏🙏", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t) for t, _ in CASES])
def test_it_chooses(text, expected):
    found = best(text, RULES)
    assert (found.nama if found else None) == expected
    again = best(text, list(reversed(RULES)))
    assert (again.nama if again else None) == expected


def test_a_very_long_complaint_is_matched_quickly():
    text = "kerusakan " * 10000 + "wifi"
    assert best(text, RULES).nama == "Jaringan"


def test_categories_without_keywords_never_match():
    assert best("apa saja", [rule(1, "Kosong", ""), rule(2, "Tanda", "!!, ??")]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wi-Fi MATI!!", ("wi", "fi", "mati")),
        ("Ruang Café", ("ruang", "cafe")),
        ("  ", ()),
        ("lantai2 R.301", ("lantai2", "r", "301")),
    ],
)
def test_it_reads_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wifi, Internet,,WIFI ; ac  bocor", ["wifi", "Internet", "ac bocor"]),
        ("lampu\nlistrik\n", ["lampu", "listrik"]),
        ("café, cafe", ["café"]),
        ("", []),
        ("!!, wifi", ["!!", "wifi"]),
    ],
)
def test_it_splits_keywords(text, expected):
    assert split_keywords(text) == expected


def test_it_names_keywords_that_could_never_match():
    assert unreadable_keywords(["!!", "wifi", "🔥"]) == ["!!", "🔥"]
