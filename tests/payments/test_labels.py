"""A credit's source as a person reads it: never the matcher's key (`statement:generic`)."""

import pytest

from motcua.core.text import format_money
from motcua.payments.labels import provider_label


@pytest.mark.parametrize(
    "provider, label",
    [
        ("statement:generic", "Sao kê Mẫu chung của Một Cửa"),
        ("statement:vcb", "Sao kê Vietcombank"),
        ("statement:unknown", "Sao kê tài khoản"),
        ("sepay", "Thông báo qua SePay"),
        ("payos", "Thông báo qua payOS"),
        ("desk", "Thu tại Bộ phận Một cửa"),
        ("something-new", "Nguồn khác"),
    ],
)
def test_provider_label(provider, label):
    assert provider_label(provider) == label
    assert ":" not in provider_label(provider)


@pytest.mark.parametrize(
    "amount, text",
    [(120000, "120.000 đồng"), (0, "0 đồng"), (None, "—"), (1500000000, "1.500.000.000 đồng")],
)
def test_money_is_written_one_way(amount, text):
    assert format_money(amount) == text
