"""What a person reads for a credit's source: `statement:vcb` is a key for the matcher, "Sao kê
Vietcombank" is what the settlement pages show."""

WEBHOOK_PROVIDERS = {
    "generic": "Thông báo của ngân hàng (mẫu chung)",
    "sepay": "Thông báo qua SePay",
    "casso": "Thông báo qua Casso",
    "payos": "Thông báo qua payOS",
    "desk": "Thu tại Bộ phận Một cửa",
    "lich-su": "Dữ liệu chuyển từ hệ thống cũ",
    "demo": "Thanh toán trực tuyến (dữ liệu mẫu)",
}
STATEMENT_PREFIX = "statement:"


def provider_label(provider: str) -> str:
    if provider.startswith(STATEMENT_PREFIX):
        from motcua.payments.statements import PROFILES  # the profiles name the banks

        profile = PROFILES.get(provider.removeprefix(STATEMENT_PREFIX))
        return f"Sao kê {profile.label}" if profile else "Sao kê tài khoản"
    return WEBHOOK_PROVIDERS.get(provider, "Nguồn khác")
