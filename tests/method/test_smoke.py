import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name,args",
    [
        ("method-codebook", [2025]),
        ("methodology", [2022]),
        ("methodology-json", [2022]),
        ("method-freshness", [2022]),
        ("method-calibration", [2025, "BC-1"]),
        ("method-consistency", [2022]),
        ("method-codebook-export", [2025]),
        ("country-assessment", [2022, "KOR"]),
        ("country-assessment", [2025, "KOR"]),
        ("item-edit", [2025, "KOR", "BC-1"]),
        ("item-edit", [2022, "KOR", "BC-1"]),
    ],
)
def test_smoke(user_client, demo, name, args):
    response = user_client("editor").get(reverse(name, args=args))
    assert response.status_code == 200, response.content[:3000]
