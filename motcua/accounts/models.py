from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import STAFF_ROLES, Role


class PhoneChannel(models.TextChoices):
    SMS = "sms", "Tin nhắn SMS"
    ZALO = "zalo", "Zalo"


class User(AbstractUser):
    """A person who signs in: staff (role + unit) or a citizen.

    Django's first/last name split does not fit Vietnamese names, so `full_name` holds the whole name
    as the person writes it ("Nguyễn Thị Hoa").
    """

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=32, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    # A citizen's number as their identity provider (VNeID through OIDC) or their own profile gave it.
    citizen_id = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    # Sign-in protection (motcua.accounts.signin): refused until this moment after repeated
    # failures; failures before `failures_reset_at` (an unlock, a lock) no longer count.
    locked_until = models.DateTimeField("khóa đăng nhập đến", null=True, blank=True)
    failures_reset_at = models.DateTimeField("đếm lần sai từ", null=True, blank=True)
    # How messages meant for this person's phone travel: SMS, or Zalo (ZNS) with SMS as the fallback.
    phone_channel = models.CharField(
        "nhận tin qua", max_length=8, choices=PhoneChannel.choices, default=PhoneChannel.SMS
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(phone_channel__in=[c.value for c in PhoneChannel]),
                name="user_phone_channel_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["phone"], name="user_phone_idx"),
            models.Index(fields=["email"], name="user_email_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        # Django's version joins first and last name, which this model does not use.
        return self.full_name.strip()

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name.strip() else self.username

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class CodePurpose(models.TextChoices):
    SIGN_IN = "sign_in", "Đăng nhập, đăng ký"


class CodeChannel(models.TextChoices):
    SMS = "sms", "Tin nhắn SMS"
    EMAIL = "email", "Thư điện tử"


class OneTimeCode(models.Model):
    """A six-digit code sent to a phone or an e-mail address to prove the citizen holds it.

    Only a keyed hash of the code is kept (motcua.accounts.one_time_codes): a database leak does not
    reveal live codes. A code is dead once used, expired, or after MAX_ATTEMPTS wrong tries.
    """

    purpose = models.CharField("mục đích", max_length=16, choices=CodePurpose.choices)
    channel = models.CharField("kênh", max_length=8, choices=CodeChannel.choices)
    destination = models.CharField("gửi đến", max_length=254)
    code_hash = models.CharField("mã băm", max_length=64)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc")
    expires_at = models.DateTimeField("hết hạn lúc")
    attempts = models.PositiveSmallIntegerField("số lần nhập sai", default=0)
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã xác thực một lần"
        verbose_name_plural = "mã xác thực một lần"
        indexes = [
            models.Index(fields=["destination", "created_at"], name="otp_destination_idx"),
            models.Index(fields=["ip", "created_at"], name="otp_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=[p.value for p in CodePurpose]),
                name="otp_purpose_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in CodeChannel]),
                name="otp_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.destination}"


class SignInFailureReason(models.TextChoices):
    WRONG_PASSWORD = "wrong_password", "Sai tên đăng nhập hoặc mật khẩu"
    NOT_STAFF = "not_staff", "Không phải tài khoản cán bộ"
    LOCKED = "locked", "Tài khoản đang bị khóa"
    ADDRESS_THROTTLED = "address_throttled", "Địa chỉ bị tạm chặn"
    WRONG_CODE = "wrong_code", "Sai mã xác thực hai bước"
    REPLAYED_CODE = "replayed_code", "Mã xác thực đã dùng"


class SignInFailure(models.Model):
    """One refused staff sign-in: the username typed, the client address, when and why. Never the
    password. Append-only; read by administrators at /can-bo/quan-tri/dang-nhap/ and counted for locks."""

    username = models.CharField("tên đăng nhập đã nhập", max_length=150)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    at = models.DateTimeField("lúc")
    reason = models.CharField("lý do", max_length=24, choices=SignInFailureReason.choices)

    class Meta:
        verbose_name = "lần đăng nhập không thành công"
        verbose_name_plural = "lần đăng nhập không thành công"
        indexes = [
            models.Index(fields=["username", "at"], name="signinfailure_username_idx"),
            models.Index(fields=["ip", "at"], name="signinfailure_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.reason}"


class TotpDevice(models.Model):
    """A staff member's authenticator app (RFC 6238 TOTP, 30 s, 6 digits, SHA-1 as the apps use).
    `last_step` is the time step of the last accepted code: a code is accepted once only."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("khóa bí mật (base32)", max_length=64)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    last_step = models.BigIntegerField("bước thời gian đã dùng", default=0)

    class Meta:
        verbose_name = "ứng dụng xác thực"
        verbose_name_plural = "ứng dụng xác thực"

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class NationalAccountKind(models.TextChoices):
    """LoaiTaiKhoan of the national IdP's user info (reference §9 step 4)."""

    CITIZEN = "1", "Công dân"
    BUSINESS = "2", "Doanh nghiệp"


class NationalAccount(models.Model):
    """A citizen account's link to its national account (Cổng DVCQG, VNeID through it), written
    by motcua.accounts.national_signon once the citizen signed in there (and, for an account that
    existed before, confirmed the link). `tech_id` is the portal's stable account id (TechID): the
    sign-on key and the MaDoiTuong of the dossiers whose owner it is (reference §2.2, §9). The
    numbers are the ones the national IdP vouched for; the contact it gave is not copied into the
    account (a one-time-code sign-in proves a phone or an e-mail, ADR 0035)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="national_account")
    tech_id = models.CharField("mã tài khoản Cổng DVCQG (TechID)", max_length=64, unique=True)
    kind = models.CharField(
        "loại tài khoản", max_length=1, choices=NationalAccountKind.choices, blank=True
    )
    citizen_id = models.CharField("số định danh cá nhân", max_length=12)
    business_name = models.CharField("tên doanh nghiệp", max_length=255, blank=True)
    tax_code = models.CharField("mã số thuế", max_length=20, blank=True)
    business_code = models.CharField("mã số doanh nghiệp", max_length=20, blank=True)
    linked_at = models.DateTimeField("liên kết lúc")
    last_signed_in_at = models.DateTimeField("đăng nhập gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "tài khoản Cổng DVCQG"
        verbose_name_plural = "tài khoản Cổng DVCQG"
        indexes = [
            models.Index(fields=["citizen_id"], name="nationalaccount_citizen_idx"),
            models.Index(fields=["tax_code"], name="nationalaccount_tax_idx"),
        ]

    def __str__(self) -> str:
        return f"DVCQG {self.tech_id}"


class NationalSignOnOutcome(models.TextChoices):
    OK = "ok", "Thành công"
    REFUSED = "refused", "Bị từ chối"
    TRANSPORT = "transport", "Lỗi kết nối"
    BAD_REPLY = "bad_reply", "Trả lời không hợp lệ"


class NationalSignOnCall(models.Model):
    """One call of the national sign-on (token exchange, user info) and its outcome. Never a code,
    token, secret or any of the person's data: the step, timing, HTTP status, the provider's error
    code and a message with numbers and addresses blanked."""

    step = models.CharField("bước", max_length=16)
    started_at = models.DateTimeField("bắt đầu")
    duration_ms = models.PositiveIntegerField("thời gian (ms)", default=0)
    http_status = models.PositiveSmallIntegerField("mã HTTP", null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=12, choices=NationalSignOnOutcome.choices)
    error_code = models.CharField("mã lỗi", max_length=64, blank=True)
    message = models.CharField("thông báo", max_length=300, blank=True)

    class Meta:
        verbose_name = "lần gọi đăng nhập Cổng DVCQG"
        verbose_name_plural = "lần gọi đăng nhập Cổng DVCQG"
        indexes = [models.Index(fields=["started_at"], name="nationalsignoncall_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=[o.value for o in NationalSignOnOutcome]),
                name="nationalsignoncall_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.outcome}"
