"""Sub-regions (UN M49 geoscheme, Asia and Oceania) for filtering the calibration view; others are "Other"."""

SUBREGIONS = {
    "East Asia": ["CHN", "HKG", "JPN", "KOR", "MAC", "MNG", "PRK", "TWN"],
    "South-East Asia": ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"],
    "South Asia": ["AFG", "BGD", "BTN", "IND", "IRN", "LKA", "MDV", "NPL", "PAK"],
    "Central Asia": ["KAZ", "KGZ", "TJK", "TKM", "UZB"],
    "Oceania": [
        "AUS",
        "COK",
        "FJI",
        "FSM",
        "KIR",
        "MHL",
        "NCL",
        "NIU",
        "NRU",
        "NZL",
        "PLW",
        "PNG",
        "PYF",
        "SLB",
        "TON",
        "TUV",
        "VUT",
        "WSM",
    ],  # fmt: skip
}
OTHER = "Other"
REGION_OF = {code: region for region, codes in SUBREGIONS.items() for code in codes}


def region_of(country_code: str) -> str:
    return REGION_OF.get(country_code, OTHER)


def region_names() -> list[str]:
    return [*SUBREGIONS, OTHER]
