"""The official list of provinces and communes (after the 1 July 2025 reform: 34 provinces, 2 levels),
from the `vietnam-provinces` package. Stored on an applicant as codes; shown as names."""

from functools import lru_cache

from vietnam_provinces import Province, Ward

HOME_PROVINCE_CODE = "42"  # Hà Tĩnh


@lru_cache(maxsize=1)
def provinces() -> list[tuple[str, str]]:
    return sorted(
        ((str(p.code.value), p.name) for p in Province.iter_all()), key=lambda item: item[1]
    )


@lru_cache(maxsize=64)
def wards_of(province_code: str) -> list[tuple[str, str]]:
    return sorted(
        (
            (str(w.code.value), w.name)
            for w in Ward.iter_all()
            if str(w.province_code.value) == province_code
        ),
        key=lambda item: item[1],
    )


def place_name(province_code: str, ward_code: str) -> str:
    """'Phường Thành Sen, Hà Tĩnh' — empty parts left out."""
    province = dict(provinces()).get(province_code, "")
    ward = dict(wards_of(province_code)).get(ward_code, "") if province_code else ""
    return ", ".join(part for part in (ward, province) if part)
