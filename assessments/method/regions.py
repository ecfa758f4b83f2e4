"""Sub-regions of the world (UN M49 geoscheme) for filtering staff pages of many countries; see SUBREGIONS."""

# Every ISO 3166-1 country (pycountry's list, which `countries_sync` loads) by ISO alpha-3 code. The five Asia-Pacific
# names come first and keep the names and members the calibration view has always used (East Asia includes
# Taiwan, which M49 does not list); the rest of the world follows M49's sub-regions, with its "Sub-Saharan
# Africa" and "Latin America and the Caribbean" as one region each (comments name their M49 parts). Antarctica
# belongs to no M49 region and stays "Other". Source: https://unstats.un.org/unsd/methodology/m49/
# fmt: off
SUBREGIONS: dict[str, tuple[str, ...]] = {
    "East Asia": ("CHN", "HKG", "JPN", "KOR", "MAC", "MNG", "PRK", "TWN"),
    "South-East Asia": ("BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"),
    "South Asia": ("AFG", "BGD", "BTN", "IND", "IRN", "LKA", "MDV", "NPL", "PAK"),
    "Central Asia": ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    "Oceania": (
        "AUS", "COK", "FJI", "FSM", "KIR", "MHL", "NCL", "NIU", "NRU",
        "NZL", "PLW", "PNG", "PYF", "SLB", "TON", "TUV", "VUT", "WSM",
        # Territories, none of them a UN member state:
        "ASM", "CCK", "CXR", "GUM", "HMD", "MNP", "NFK", "PCN", "TKL", "UMI", "WLF",
    ),
    "Western Asia": (
        "ARE", "ARM", "AZE", "BHR", "CYP", "GEO", "IRQ", "ISR", "JOR", "KWT",
        "LBN", "OMN", "PSE", "QAT", "SAU", "SYR", "TUR", "YEM",
    ),
    "Northern Africa": ("DZA", "EGY", "ESH", "LBY", "MAR", "SDN", "TUN"),
    "Sub-Saharan Africa": (
        # Eastern Africa
        "ATF", "BDI", "COM", "DJI", "ERI", "ETH", "IOT", "KEN", "MDG", "MOZ", "MUS",
        "MWI", "MYT", "REU", "RWA", "SOM", "SSD", "SYC", "TZA", "UGA", "ZMB", "ZWE",
        # Middle Africa
        "AGO", "CAF", "CMR", "COD", "COG", "GAB", "GNQ", "STP", "TCD",
        # Southern Africa
        "BWA", "LSO", "NAM", "SWZ", "ZAF",
        # Western Africa
        "BEN", "BFA", "CIV", "CPV", "GHA", "GIN", "GMB", "GNB", "LBR",
        "MLI", "MRT", "NER", "NGA", "SEN", "SHN", "SLE", "TGO",
    ),
    "Latin America and the Caribbean": (
        # Caribbean
        "ABW", "AIA", "ATG", "BES", "BHS", "BLM", "BRB", "CUB", "CUW", "CYM",
        "DMA", "DOM", "GLP", "GRD", "HTI", "JAM", "KNA", "LCA", "MAF", "MSR",
        "MTQ", "PRI", "SXM", "TCA", "TTO", "VCT", "VGB", "VIR",
        # Central America
        "BLZ", "CRI", "GTM", "HND", "MEX", "NIC", "PAN", "SLV",
        # South America
        "ARG", "BOL", "BRA", "BVT", "CHL", "COL", "ECU", "FLK",
        "GUF", "GUY", "PER", "PRY", "SGS", "SUR", "URY", "VEN",
    ),
    "Northern America": ("BMU", "CAN", "GRL", "SPM", "USA"),
    "Eastern Europe": ("BGR", "BLR", "CZE", "HUN", "MDA", "POL", "ROU", "RUS", "SVK", "UKR"),
    "Northern Europe": (
        "ALA", "DNK", "EST", "FIN", "FRO", "GBR", "GGY", "IMN", "IRL",
        "ISL", "JEY", "LTU", "LVA", "NOR", "SJM", "SWE",
    ),
    "Southern Europe": (
        "ALB", "AND", "BIH", "ESP", "GIB", "GRC", "HRV", "ITA", "MKD",
        "MLT", "MNE", "PRT", "SMR", "SRB", "SVN", "VAT",
    ),
    "Western Europe": ("AUT", "BEL", "CHE", "DEU", "FRA", "LIE", "LUX", "MCO", "NLD"),
}
# fmt: on
OTHER = "Other"
REGION_OF = {code: region for region, codes in SUBREGIONS.items() for code in codes}


def region_of(country_code: str) -> str:
    return REGION_OF.get(country_code, OTHER)


def region_names() -> list[str]:
    """Every region, Asia-Pacific first, "Other" last: the order of region filters."""
    return [*SUBREGIONS, OTHER]
