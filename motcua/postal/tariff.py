"""Postage of a result sent by post: a table of weight bands and two zones (within the province of
the sending desk, or another province), read from settings.POSTAL_TARIFF. The shipped values are
demo values — see config/settings/base.py."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from motcua.core.places import HOME_PROVINCE_CODE

INTRA = "intra_province"
OTHER = "other_province"
ZONE_LABELS = {INTRA: "Nội tỉnh", OTHER: "Liên tỉnh"}
MAX_GRAMS = 30_000  # a parcel of the public postal service for administrative procedures


def postal_zone(province_code: str) -> str:
    return INTRA if province_code == HOME_PROVINCE_CODE else OTHER


def postal_fee(weight_grams: int, province_code: str) -> int:
    """The postage in đồng: the first band the weight fits in, then a fixed step per 500 g above the
    last band."""
    if not 0 < weight_grams <= MAX_GRAMS:
        raise ValidationError(
            {
                "weight_grams": f"Khối lượng bưu gửi phải từ 1 đến {MAX_GRAMS:,} gam.".replace(
                    ",", "."
                )
            }
        )
    tariff: dict[str, Any] = settings.POSTAL_TARIFF  # bands and prices, see config/settings
    zone = postal_zone(province_code)
    for limit, price in zip(tariff["bands"], tariff[zone], strict=True):
        if weight_grams <= limit:
            return price
    over = weight_grams - tariff["bands"][-1]
    steps = -(-over // 500)  # each started 500 g
    return tariff[zone][-1] + steps * tariff["extra_per_500g"][zone]
