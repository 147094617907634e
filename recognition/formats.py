"""UK registration formats, normalisation and position-aware confusable correction.

Text that matches no UK format is kept as read (normalised only), never forced.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Optional, Tuple

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# Confusables: what a digit read in a letter position most likely was, and vice versa.
DIGIT_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}
LETTER_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "J": "1", "T": "7",
                   "Z": "2", "S": "5", "G": "6", "B": "8", "A": "4"}

# Templates: L = letter, N = digit, M = digit 1-9 (serial numbers never start with 0: "A012BCD"
# is not a prefix mark, it is most likely "AO12BCD" misread).  Order = preference on ties.
TEMPLATES: list[tuple[str, str]] = [
    ("current", "LLNNLLL"),        # AB12CDE (2001-)
    ("prefix", "LMNNLLL"),         # A123BCD (1983-2001)
    ("prefix", "LMNLLL"),
    ("prefix", "LMLLL"),
    ("suffix", "LLLMNNL"),         # ABC123D (1963-1983)
    ("suffix", "LLLMNL"),
    ("suffix", "LLLML"),
]

# Marks with a year letter or digits (the templates above); dateless and Northern Ireland marks
# are shorter and more permissive.
DATED = ("current", "prefix", "suffix")

_NI_RE = re.compile(r"^[A-Z]?(?:[A-Z]Z|[A-Z]I|I[A-Z]|Z[A-Z])[1-9][0-9]{0,3}$")
_DATELESS_RES = [
    re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,3}$"),
    re.compile(r"^[1-9][0-9]{0,3}[A-Z]{1,3}$"),
]
_EXACT = [(name, re.compile("^" + t.replace("L", "[A-Z]").replace("N", "[0-9]").replace("M", "[1-9]") + "$"))
          for name, t in TEMPLATES]

MAX_CORRECTIONS = 2

# Shapes (L letter, N digit) of common continental registrations that one or two confusable swaps
# would otherwise turn into a UK mark: France (since 2009) and Italy "AB-123-CD", Portugal (since
# 2020) and the Netherlands "AB-12-CD", the Netherlands' later series "AB-123-C" and "A-123-BC",
# Spain (since 2000) "1234 BCD" (whose leading 0 no UK mark has), Germany's two-letter districts
# with two letters "HH-AB 124" (shorter German marks are UK dateless shapes, kept as read anyway) and
# Poland's two-letter districts with five digits or four and a letter, "WX 12345" and "WX 1234A".  A
# read of one of these shapes is a foreign plate read as it is, and kept so: correcting "AB124CD"
# to "AB12ACD" would store a UK registration that nobody was driving.  The cost: a UK mark misread
# into one of these shapes is no longer corrected and stays a read that matches no hotlist entry:
# a current mark with its fifth character read as a digit ("AB12SDE" as "AB125DE") or its fifth and
# sixth; a suffix mark with its third letter read as a digit ("ABC12D" as "AB812D", "ABC123D" as
# "AB8123D"); a prefix mark with its fourth ("A12BCD" as "A128CD").  Other countries' shapes are
# corrected as before.
FOREIGN_SHAPES = ("LLNNNLL", "LLNNLL", "LLNNNL", "LNNNLL", "NNNNLLL", "LLLLN", "LLLLNN", "LLLLNNN",
                  "LLNNNNN", "LLNNNNL")


# Letters a dated mark never carries, so a correction that makes one is not a registration
# (DVLA): I and Q in no current mark and in none of the three letters of a prefix or suffix mark;
# Z not as a current mark's first (region) letter; I, O, Q, U and Z never as a year letter
# (Q-plates, "Q123ABC" for vehicles of unknown age, are read as they are, never corrected to).
NEVER_IN_DATED = "IQ"
NEVER_REGION_LETTER = "IQZ"
NEVER_YEAR_LETTER = "IOQUZ"


def age_identifier_issued(age: str, today: Optional[date] = None) -> bool:
    """Has the current-format age identifier ``age`` been issued by ``today``?  "51" (September
    2001), then each year YY from March 20YY and YY + 50 from September: "02", "52", ... "26", "76"."""
    today = today or date.today()
    if not (len(age) == 2 and age.isdigit()):
        return False
    n = int(age)
    if 2 <= n <= 50:
        return (2000 + n, 3) <= (today.year, today.month)
    if 51 <= n <= 99:
        return (1950 + n, 9) <= (today.year, today.month)
    return False


def issuable(text: str, fmt: str, today: Optional[date] = None) -> bool:
    """Could DVLA have issued ``text`` as a mark of the dated format ``fmt``?  The correction
    only corrects towards such marks (see NEVER_IN_DATED): "SAU534I" is not a suffix mark, and
    "5AU5341" (a Czech registration) is kept as read."""
    if fmt == "current":
        letters = text[:2] + text[4:]
        return (text[0] not in NEVER_REGION_LETTER and not any(ch in NEVER_IN_DATED for ch in letters)
                and age_identifier_issued(text[2:4], today))
    if fmt == "prefix":
        year, letters = text[0], text[-3:]
    elif fmt == "suffix":
        year, letters = text[-1], text[:3]
    else:
        return True
    return year not in NEVER_YEAR_LETTER and not any(ch in NEVER_IN_DATED for ch in letters)


def normalise(text: str) -> str:
    """Upper-case and keep only A-Z and 0-9 (spaces, dashes, dots etc. removed)."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def detect_format(text: str) -> Optional[str]:
    """Format name of an already normalised text, without any correction, or None."""
    if not text or len(text) > 7:
        return None
    for name, rx in _EXACT:
        if rx.match(text):
            return name
    if _NI_RE.match(text):
        return "ni"
    for rx in _DATELESS_RES:
        if rx.match(text) and len(text) <= 7:
            return "dateless"
    return None


def shape(text: str) -> str:
    """The letter/digit shape of a normalised text: "AB12CDE" -> "LLNNLLL"."""
    return "".join("L" if ch.isalpha() else "N" for ch in text)


def _apply_template(text: str, template: str) -> Optional[Tuple[str, int]]:
    if len(text) != len(template):
        return None
    out, n = [], 0
    for ch, kind in zip(text, template):
        if kind == "L":
            if ch.isalpha():
                out.append(ch)
            elif ch in DIGIT_TO_LETTER:
                out.append(DIGIT_TO_LETTER[ch]); n += 1
            else:
                return None
        else:
            if ch.isdigit():
                digit = ch
            elif ch in LETTER_TO_DIGIT:
                digit = LETTER_TO_DIGIT[ch]; n += 1
            else:
                return None
            if kind == "M" and digit == "0":
                return None
            out.append(digit)
    return "".join(out), n


def correct_uk(text: str) -> Tuple[str, Optional[str]]:
    """See :func:`correct_uk_counted` (this drops the count)."""
    t, f, _ = correct_uk_counted(text)
    return t, f


def correct_uk_counted(text: str) -> Tuple[str, Optional[str], int]:
    """Position-aware correction of a normalised text towards a UK format.

    Exact matches win.  A text of a continental shape (FOREIGN_SHAPES) is kept as read.
    Otherwise the dated formats (current, prefix, suffix) are tried with at most
    ``MAX_CORRECTIONS`` confusable swaps, towards marks that could have been issued only (see
    :func:`issuable`); the fewest swaps wins (ties: current > prefix > suffix).  Dateless and
    Northern Ireland marks are only accepted as read (too permissive to correct towards).  No
    match: text unchanged, None.  Returns (text, format, number of characters changed).
    """
    fmt = detect_format(text)
    if fmt is not None:
        return text, fmt, 0
    if shape(text) in FOREIGN_SHAPES:
        return text, None, 0
    best = None
    for name, template in TEMPLATES:
        r = _apply_template(text, template)
        if r is None or r[1] > MAX_CORRECTIONS or not issuable(r[0], name):
            continue
        if best is None or r[1] < best[1]:
            best = (r[0], r[1], name)
    if best is not None:
        return best[0], best[2], best[1]
    return text, None, 0


def normalise_plate(raw: str, region: str = "uk") -> Tuple[str, Optional[str]]:
    """Return (normalised text, format name or None).

    region="uk": normalise then position-aware UK correction.
    region="any": normalise only; the format is reported only on an exact UK match.
    """
    text = normalise(raw)
    if region == "uk":
        return correct_uk(text)
    if region == "any":
        return text, detect_format(text)
    raise ValueError(f"unknown region {region!r} (expected 'uk' or 'any')")


def plate_equal(a: str, b: str) -> bool:
    """Whole-plate equality used for US evaluation: O and 0 count as the same."""
    return normalise(a).replace("O", "0") == normalise(b).replace("O", "0")


def levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a:
        return len(b)
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def jaro_winkler(a: str, b: str, p: float = 0.1) -> float:
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    ma, mb = [False] * la, [False] * lb
    m = 0
    for i, ca in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not mb[j] and b[j] == ca:
                ma[i] = mb[j] = True
                m += 1
                break
    if not m:
        return 0.0
    t, k = 0, 0
    for i in range(la):
        if ma[i]:
            while not mb[k]:
                k += 1
            if a[i] != b[k]:
                t += 1
            k += 1
    t //= 2
    jaro = (m / la + m / lb + (m - t) / m) / 3
    prefix = 0
    for ca, cb in zip(a[:4], b[:4]):
        if ca != cb:
            break
        prefix += 1
    return jaro + prefix * p * (1 - jaro)


def similar(a: str, b: str) -> bool:
    """Texts close enough to be one vehicle: Levenshtein <= 1 or Jaro-Winkler >= 0.85."""
    return levenshtein(a, b) <= 1 or jaro_winkler(a, b) >= 0.85
