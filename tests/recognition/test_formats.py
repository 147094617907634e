import random
from datetime import date

import pytest
from hypothesis import given, strategies as st

from recognition import formats
from recognition.render import display_text, random_eu_text, random_uk_registration

seeds = st.integers(min_value=0, max_value=2**31 - 1)
fmts = st.sampled_from(["current", "prefix", "suffix", "dateless", "ni"])


@given(seeds, fmts)
def test_generated_registrations_are_recognised_exactly(seed, fmt):
    label, display, f = random_uk_registration(random.Random(seed), fmt)
    text, got = formats.normalise_plate(label, "uk")
    assert text == label
    # dateless marks can look like NI ones (e.g. "AZ12") and vice versa; the dated formats are unambiguous
    if fmt in ("current", "prefix", "suffix"):
        assert got == fmt
    else:
        assert got in ("dateless", "ni")


@given(seeds, fmts, st.sampled_from([" ", "-", ".", "  "]), st.booleans())
def test_normalisation_strips_spacing_punctuation_and_case(seed, fmt, sep, lower):
    label, display, _ = random_uk_registration(random.Random(seed), fmt)
    messy = display.replace(" ", sep)
    if lower:
        messy = messy.lower()
    assert formats.normalise_plate(" " + messy + " ", "uk")[0] == label
    assert formats.normalise_plate(messy, "any")[0] == label


@given(seeds, st.data())
def test_single_confusion_in_current_format_is_corrected(seed, data):
    label, _, _ = random_uk_registration(random.Random(seed), "current")
    template = "LLNNLLL"
    # misreads the correction undoes: a digit read for a letter, a letter read for a digit
    d2l = {v: k for k, v in formats.DIGIT_TO_LETTER.items()}           # letter -> digit misread
    l2d = {}
    for k, v in formats.LETTER_TO_DIGIT.items():
        l2d.setdefault(v, []).append(k)                                  # digit -> letter misreads
    swappable = [i for i, ch in enumerate(label)
                 if (template[i] == "L" and ch in d2l) or (template[i] == "N" and ch in l2d)]
    if not swappable:
        return
    i = data.draw(st.sampled_from(swappable))
    ch = label[i]
    bad = d2l[ch] if template[i] == "L" else data.draw(st.sampled_from(l2d[ch]))
    read = label[:i] + bad + label[i + 1:]
    text, fmt = formats.normalise_plate(read, "uk")
    if formats.detect_format(read) is None and formats.shape(read) not in formats.FOREIGN_SHAPES:
        assert (text, fmt) == (label, "current")
    else:  # the misread is itself a valid mark (e.g. AB12CDE -> A812CDE is a prefix mark) or of a
        assert text == read  # continental shape (AB12SDE -> AB125DE, as French "AB-125-DE"): kept


@pytest.mark.parametrize("raw,expected", [
    ("AB12 CDE", ("AB12CDE", "current")),
    ("ABI2CDE", ("AB12CDE", "current")),      # I->1 in a digit slot
    ("A8I2CDE", ("A812CDE", "prefix")),       # fewest corrections wins (1 vs 2)
    ("A812CD3", ("A812CD3", None)),           # no format reachable: kept as read
    ("AB1ZCDE", ("AB12CDE", "current")),
    ("0B12CDE", ("OB12CDE", "current")),
    ("M123 ABC", ("M123ABC", "prefix")),
    ("ABC 123D", ("ABC123D", "suffix")),
    ("ABZ 1234", ("ABZ1234", "ni")),
    ("1234 AB", ("1234AB", "dateless")),
    ("ABC123", ("ABC123", "dateless")),
    ("E011DHT", ("EO11DHT", "current")),      # serial numbers never start with 0: not prefix "E 011 DHT"
    ("ABC012D", ("ABC012D", None)),
    ("0123AB", ("0123AB", None)),
])
def test_examples(raw, expected):
    assert formats.normalise_plate(raw, "uk") == expected


@pytest.mark.parametrize("raw", [
    "5AU5341",      # Czech "5AU 5341": was corrected to suffix "SAU534I", whose year letter would be I
    "2B12CDE",      # "ZB12CDE": no current mark starts with Z
    "AB12CD1",      # "AB12CDI": no current mark has an I
    "A1B123C",      # "AIB123C": nor any suffix mark's letters
])
def test_a_correction_never_makes_a_mark_that_could_not_be_issued(raw):
    assert formats.normalise_plate(raw, "uk") == (raw, None)


@given(st.text(alphabet=formats.ALPHABET, min_size=5, max_size=7))
def test_every_corrected_read_is_an_issuable_mark(raw):
    text, fmt, changed = formats.correct_uk_counted(raw)
    if changed:
        assert fmt in formats.DATED and formats.issuable(text, fmt)


@pytest.mark.parametrize("age,today,issued", [
    ("51", date(2001, 9, 1), True), ("51", date(2001, 8, 31), False), ("02", date(2002, 3, 1), True),
    ("26", date(2026, 3, 1), True), ("76", date(2026, 9, 1), True), ("27", date(2026, 12, 6), False),
    ("77", date(2026, 12, 6), False), ("01", date(2026, 12, 6), False), ("00", date(2026, 12, 6), False),
])
def test_age_identifiers_are_issued_in_march_and_september(age, today, issued):
    assert formats.age_identifier_issued(age, today) is issued


@pytest.mark.parametrize("raw", ["HELLOWORLD", "CCLVN3X9", "7ZZZZZZ", "QQQQQQQQ", "A1B2C3D"])
def test_non_uk_text_is_kept_raw(raw):
    assert formats.normalise_plate(raw, "uk") == (raw, None)


@pytest.mark.parametrize("raw", ["AB-124-CD", "FG 758 KL", "DA-007-XY", "0123 BCD", "AB-12-CD", "HH-AB 124", "KA-OS 18",
                                 "WE 12345", "AB-124-C", "K-128-BC", "WX 1245A"])
def test_continental_registrations_are_not_forced_into_uk_marks(raw):
    # French / Italian, Spanish (leading 0), Portuguese / Dutch, German, Polish: one or two swaps from a UK mark
    # ("AB124C" would be suffix "ABI24C", "K128BC" prefix "K12BBC", "WX1245A" suffix "WXI245A")
    assert formats.normalise_plate(raw, "uk") == (formats.normalise(raw), None)


@given(seeds)
def test_rendered_continental_plates_keep_their_text(seed):
    label, _, _ = random_eu_text(random.Random(seed))
    text, _ = formats.normalise_plate(label, "uk")
    if formats.shape(label) in formats.FOREIGN_SHAPES:
        assert text == label


def test_any_region_never_corrects():
    assert formats.normalise_plate("a8i2-cde", "any") == ("A8I2CDE", None)
    with pytest.raises(ValueError):
        formats.normalise_plate("AB12CDE", "mars")


def test_plate_equal_and_similarity():
    assert formats.plate_equal("0SG719", "OSG719")
    assert not formats.plate_equal("0SG719", "0SG71")
    assert formats.similar("AB12CDE", "AB12CDF")
    assert formats.similar("AB12CDE", "AB12CD")
    assert not formats.similar("AB12CDE", "XY99ZZZ")
    assert formats.levenshtein("kitten", "sitting") == 3
    assert abs(formats.jaro_winkler("MARTHA", "MARHTA") - 0.961) < 0.001


@given(seeds)
def test_display_text_round_trip(seed):
    label, display, _ = random_uk_registration(random.Random(seed))
    assert formats.normalise(display_text(label)) == label


def test_the_renderer_draws_dutch_and_polish_plates_with_their_bands():
    band = {"LLNNNL": "NL", "LNNNLL": "NL", "LLNNNNL": "PL", "LLNNNNN": "PL"}
    drawn = [random_eu_text(random.Random(seed)) for seed in range(400)]
    shapes = [(formats.shape(label), country) for label, _, country in drawn]
    assert set(band) <= {s for s, _ in shapes}
    assert all(country == band[s] for s, country in shapes if s in band)
