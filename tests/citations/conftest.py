import pytest

from assessments.models import Source


@pytest.fixture
def library():
    """Unsaved sources keyed by citation key: rendering needs no database."""

    def source(key, **fields):
        values = {
            "type": "report",
            "authors": [{"literal": "Human Rights Watch"}],
            "author_abbreviation": "HRW",
            "issued_year": 2022,
            "title": f"Title of {key}",
            "url": f"https://example.org/{key}",
        }
        values.update(fields)
        return Source(key=key, **values)

    sources = [
        source("hrw", title="South Korea: Events of 2021"),
        source("hrw2020", issued_year=2020, title="South Korea: Promote Human Rights in North Korea"),
        source("fh", authors=[{"literal": "Freedom House"}], author_abbreviation="", title="Freedom in the World"),
        source(
            "news",
            type="article-newspaper",
            authors=[{"family": "Rashid", "given": "Raphael"}],
            author_abbreviation="",
            issued_year=2021,
            issued_month=8,
            issued_day=26,
            title="South Korea designates arriving Afghans",
            container_title="The Guardian",
        ),
        source(
            "two",
            type="webpage",
            authors=[{"family": "Kwok", "given": "Andre"}, {"family": "Kwon", "given": "Nathaneal"}],
            author_abbreviation="",
            title="Politics of denial",
        ),
        source(
            "act",
            type="legislation",
            authors=[{"literal": "Republic of Korea"}],
            author_abbreviation="",
            issued_year=2011,
            issued_month=4,
            issued_day=12,
            title="Act on the Punishment of Crime",
            url="https://elaw.example/act",
        ),
        source(
            "ga",
            type="document",
            authors=[{"literal": "United Nations, General Assembly"}],
            author_abbreviation="",
            issued_year=2021,
            issued_month=5,
            issued_day=17,
            title="Speakers Differ",
            un_symbol="GA/12323",
            url="",
        ),
        source("nd", authors=[{"family": "Kuzmarov", "given": "Jeremy"}], author_abbreviation="", issued_year=None),
    ]
    return {item.key: item for item in sources}
