"""Which category (bidang) a report's text belongs to: pure functions, no database.

A category has keywords ("wifi, internet, ac bocor"). Text and keywords are compared as
words: case and accents do not matter (NFKD, combining marks dropped, casefolded), and
anything that is not a letter or a digit separates words, so "WiFi!!", "(AC)" and
"wifi🔥mati" hold the words "wifi", "ac" and "wifi mati". A keyword matches only whole
words ("ac" is not found in "acara"); a keyword of several words matches those words
next to each other in that order ("ac bocor" in "AC-nya? AC bocor!", not in "AC ruang 301
bocor").

When several categories match, the most specific wins:

1. the one whose longest keyword found is longest, counted in words ("ac bocor" beats
   "bocor");
2. then the one with more of its keywords found ("wifi" and "internet" beat "jaringan");
3. then the name, alphabetically without case, so the choice never depends on the order
   the database returns the categories in.

No keyword found: None, which the caller files under "Umum".
"""

import re
import unicodedata
from dataclasses import dataclass

# A word: letters and digits of any script. "_" is a word character to re, not to people.
_WORD = re.compile(r"[^\W_]+")
# Keywords are typed separated by commas (or one per line in the panel's text box).
_SEPARATORS = re.compile(r"[,;\n]")


def words(text):
    """'Wi-Fi MATI!!' -> ('wi', 'fi', 'mati'); 'Ruang Café' -> ('ruang', 'cafe')."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(_WORD.findall(plain.casefold()))


def split_keywords(text):
    """The keywords typed in one text, trimmed, each once (the first spelling kept).

    'wifi, Internet,,WIFI ; ac  bocor' -> ['wifi', 'Internet', 'ac bocor'].
    A keyword without any letter or digit ('!!') is kept here, for the caller to refuse.
    """
    found, seen = [], set()
    for part in _SEPARATORS.split(text or ""):
        keyword = " ".join(part.split())
        key = words(keyword) or keyword
        if keyword and key not in seen:
            seen.add(key)
            found.append(keyword)
    return found


def unreadable_keywords(keywords):
    """The keywords that hold no word at all, so could never match."""
    return [keyword for keyword in keywords if not words(keyword)]


@dataclass(frozen=True)
class Rule:
    """One category as the matcher sees it; `key` is the caller's (e.g. the row's id)."""

    key: object
    nama: str
    phrases: tuple  # each keyword as its words


def rule(key, nama, keywords_text):
    phrases = tuple(dict.fromkeys(p for p in map(words, split_keywords(keywords_text)) if p))
    return Rule(key=key, nama=nama, phrases=phrases)


def best(text, rules):
    """The Rule of the most specific category whose keywords the text holds, or None."""
    rules = [r for r in rules if r.phrases]
    if not rules:
        return None
    tokens = words(text)
    lengths = {len(phrase) for r in rules for phrase in r.phrases}
    present = {tokens[i : i + n] for n in lengths for i in range(len(tokens) - n + 1)}
    chosen, chosen_score = None, None
    for candidate in rules:
        found = [phrase for phrase in candidate.phrases if phrase in present]
        if not found:
            continue
        score = (-max(map(len, found)), -len(found), candidate.nama.casefold(), candidate.nama)
        if chosen_score is None or score < chosen_score:
            chosen, chosen_score = candidate, score
    return chosen
