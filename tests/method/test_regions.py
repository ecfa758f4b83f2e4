"""The UN M49 sub-regions of the region filters: the whole world, each country once, the Asia-Pacific names kept."""

from collections import Counter

import pycountry

from assessments.method.regions import OTHER, SUBREGIONS, region_names, region_of
from benchmarks.un_members import UN_MEMBERS

# The five regions (and their members) of the calibration view before the rest of the world was added.
ASIA_PACIFIC = {
    "East Asia": {"CHN", "HKG", "JPN", "KOR", "MAC", "MNG", "PRK", "TWN"},
    "South-East Asia": {"BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"},
    "South Asia": {"AFG", "BGD", "BTN", "IND", "IRN", "LKA", "MDV", "NPL", "PAK"},
    "Central Asia": {"KAZ", "KGZ", "TJK", "TKM", "UZB"},
    "Oceania": {
        "AUS", "COK", "FJI", "FSM", "KIR", "MHL", "NCL", "NIU", "NRU",
        "NZL", "PLW", "PNG", "PYF", "SLB", "TON", "TUV", "VUT", "WSM",
    },
}  # fmt: skip
REST_OF_THE_WORLD = [
    "Western Asia",
    "Northern Africa",
    "Sub-Saharan Africa",
    "Latin America and the Caribbean",
    "Northern America",
    "Eastern Europe",
    "Northern Europe",
    "Southern Europe",
    "Western Europe",
]


def test_every_un_member_state_has_a_region():
    assert len(UN_MEMBERS) == 193
    assert [code for code in UN_MEMBERS if region_of(code) == OTHER] == []


def test_every_iso_country_but_antarctica_has_a_region():
    iso_codes = {country.alpha_3 for country in pycountry.countries}
    assert {code for code in iso_codes if region_of(code) == OTHER} == {"ATA"}
    assert set().union(*SUBREGIONS.values()) <= iso_codes  # no typo stands in for a real code


def test_no_country_is_in_two_regions():
    counts = Counter(code for codes in SUBREGIONS.values() for code in codes)
    assert [code for code, count in counts.items() if count > 1] == []


def test_names_in_order_asia_pacific_first_other_last():
    assert region_names() == [*ASIA_PACIFIC, *REST_OF_THE_WORLD, OTHER]


def test_the_asia_pacific_regions_keep_their_members():
    for name, codes in ASIA_PACIFIC.items():
        assert {code for code in codes if region_of(code) != name} == set(), name
    # Only M49 Oceania's territories joined them; every UN member of these regions was there before.
    joined = {code for name in ASIA_PACIFIC for code in SUBREGIONS[name]} - set().union(*ASIA_PACIFIC.values())
    assert joined == {"ASM", "CCK", "CXR", "GUM", "HMD", "MNP", "NFK", "PCN", "TKL", "UMI", "WLF"}
    assert joined.isdisjoint(UN_MEMBERS)


def test_examples_from_each_continent():
    assert [region_of(code) for code in ["FRA", "BRA", "USA", "NGA", "EGY", "TUR", "RUS", "SWE", "ITA"]] == [
        "Western Europe",
        "Latin America and the Caribbean",
        "Northern America",
        "Sub-Saharan Africa",
        "Northern Africa",
        "Western Asia",
        "Eastern Europe",
        "Northern Europe",
        "Southern Europe",
    ]
    assert region_of("ATA") == region_of("XXX") == region_of("") == OTHER
