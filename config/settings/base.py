"""Base settings: everything comes from the environment, with safe development defaults.

Overlays: `config.settings.test` (the test suite) and `config.settings.production` (refuses to start
without a secret key and turns every HTTPS protection on).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development-only key: production.py refuses to run without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its bundled Swagger UI: the CDN copy would be blocked by our CSP
    "motcua.core",
    "motcua.accounts",
    "motcua.org",
    "motcua.catalog",
    "motcua.calendars",
    "motcua.dossiers",
    "motcua.notifications",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.payments",
    "motcua.postal",
    "motcua.documents",
    "motcua.reform",
    "motcua.staffing",
    "motcua.feedback",
    "motcua.indicators",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["motcua.core.templatetags.vi_format"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.backoffice.nav.backoffice_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing half-way (SQLite has no SELECT ... FOR UPDATE).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security headers that hold in every environment; production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# The cache holds API idempotency keys and rate-limit counters. One process: memory is enough.
# Several app servers must share it: set DJANGO_CACHE=database (then `motcua createcachetable`).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if os.environ.get("DJANGO_CACHE", "memory") == "memory"
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache"},
    # Whole public pages (motcua.core.pagecache: the dossier tracking page), forgotten when a change
    # commits. Every app worker must share it, so not memory: files, best on tmpfs
    # (MOTCUA_PAGE_CACHE_DIR=/dev/shm/motcua-pages). Pages live 5 minutes at most.
    "pages": {
        "BACKEND": "motcua.core.pagecache.PageFileCache",
        "LOCATION": os.environ.get("MOTCUA_PAGE_CACHE_DIR", str(VAR_DIR / "cache" / "pages")),
        # Two files a page (its generation and its body): the pages read in five minutes fit.
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
}

# The change feed (motcua.dossiers.changes, ADR 0031): a change delivered to every subscriber is
# kept this many days (for the record of what was sent), then pruned by the job dossiers-feed-prune.
MOTCUA_CHANGE_FEED_RETENTION_DAYS = int(os.environ.get("MOTCUA_CHANGE_FEED_RETENTION_DAYS", "30"))

# The reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed. Every rate
# limit keys on the client address (motcua.core.client_address.client_ip): with none set, the
# connection's peer (REMOTE_ADDR) is the client and X-Forwarded-For is ignored; behind proxies,
# the header is read from the right, skipping these hops. Never list a network clients come from.
MOTCUA_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("MOTCUA_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The installation's own identity: the province (level-1 QCVN 102:2016 code) it serves.
MOTCUA_PROVINCE_NAME = os.environ.get("MOTCUA_PROVINCE_NAME", "Hà Tĩnh")

# Notifications. SMS_GATEWAY: "console" (prints, for the demo) or "esms" (eSMS.vn REST API).
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "console")
ESMS_API_URL = os.environ.get(
    "ESMS_API_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
)
ESMS_API_KEY = os.environ.get("ESMS_API_KEY", "")
ESMS_SECRET_KEY = os.environ.get("ESMS_SECRET_KEY", "")
ESMS_BRANDNAME = os.environ.get("ESMS_BRANDNAME", "")

# Documents (motcua.documents): files addressed by SHA-256 in their own storage — a folder under the
# data folder by default, an S3-compatible bucket (django-storages) when MOTCUA_S3_BUCKET is set.
if os.environ.get("MOTCUA_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MOTCUA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MOTCUA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MOTCUA_S3_REGION") or None,
            "access_key": os.environ.get("MOTCUA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("MOTCUA_S3_SECRET_KEY") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "documents"), "base_url": None},
    }
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# A PDF beyond these is refused as a decompression bomb before its pages are read
# (motcua.documents.pdfsafety, ADR 0022).
MOTCUA_PDF_MAX_PAGES = int(os.environ.get("MOTCUA_PDF_MAX_PAGES", "1000"))
MOTCUA_PDF_MAX_OBJECTS = int(os.environ.get("MOTCUA_PDF_MAX_OBJECTS", "250000"))
MOTCUA_PDF_MAX_DECOMPRESSED_BYTES = int(
    os.environ.get("MOTCUA_PDF_MAX_DECOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
MOTCUA_IMAGE_MAX_SIDE = int(os.environ.get("MOTCUA_IMAGE_MAX_SIDE", "3508"))  # A4 at 300 dpi
# Antivirus: clamd's INSTREAM protocol on a Unix socket or host:port; off when neither is set.
MOTCUA_CLAMD_SOCKET = os.environ.get("MOTCUA_CLAMD_SOCKET", "")
MOTCUA_CLAMD_HOST = os.environ.get("MOTCUA_CLAMD_HOST", "")
MOTCUA_CLAMD_PORT = int(os.environ.get("MOTCUA_CLAMD_PORT", "3310"))
# Signing (motcua.documents, ADR 0032). Each signer's key is configured in the back office (a
# PKCS#11 token, a CSC remote-signing credential, or for the demo a PKCS#12 file). This PKCS#12 is
# the demo's key (`motcua documents make-test-ca` creates a test set here); file keys are refused
# in production (MOTCUA_FILE_KEYS_ALLOWED is False in config.settings.production).
MOTCUA_SIGNING_PKCS12 = os.environ.get(
    "MOTCUA_SIGNING_PKCS12", str(VAR_DIR / "signing" / "signer.p12")
)
MOTCUA_SIGNING_PASSPHRASE = os.environ.get("MOTCUA_SIGNING_PASSPHRASE", "motcua-test")
MOTCUA_FILE_KEYS_ALLOWED = True
# The trust list: a folder of root certificates (PEM or DER; CRLs as *.crl) a signature must chain to.
MOTCUA_TRUST_ROOTS = os.environ.get("MOTCUA_TRUST_ROOTS", str(VAR_DIR / "signing" / "trust"))
# An RFC 3161 timestamp server; every signature is timestamped when it is set.
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TSA_TIMEOUT = int(os.environ.get("MOTCUA_TSA_TIMEOUT", "10"))
# At signing, fetch the CA's OCSP/CRL for the validation data embedded in the document.
MOTCUA_SIGNING_FETCH_REVOCATION = (
    os.environ.get("MOTCUA_SIGNING_FETCH_REVOCATION", "false").lower() == "true"
)
# The OAuth 2.0 access token this installation holds with the remote-signing (CSC) provider.
MOTCUA_CSC_ACCESS_TOKEN = os.environ.get("MOTCUA_CSC_ACCESS_TOKEN", "")
MOTCUA_SIGNING_UNIT_NAME = os.environ.get("MOTCUA_SIGNING_UNIT_NAME", "Sở Tư pháp tỉnh Hà Tĩnh")
# Absolute URL of the public site, printed in the QR code of every signed result.
MOTCUA_PUBLIC_BASE_URL = os.environ.get("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Citizen sign-in (motcua.accounts, docs/adr/0010): one-time codes by SMS / e-mail are always on;
# OIDC with a central identity provider is an option, on when OIDC_RP_CLIENT_ID is set.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email phone profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_TIMEOUT = 10
OIDC_CITIZEN_ID_CLAIM = os.environ.get("OIDC_CITIZEN_ID_CLAIM", "citizen_id")
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/cong-dan/tai-khoan/dang-nhap/"
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("motcua.accounts.oidc.CitizenOIDCBackend")

# Public postal service (motcua.postal). POSTAL_OPERATOR_BACKEND: "file" (demo: consignment
# requests written to var/postal/outbox/, numbered locally) or "http" (the operator's API at
# POSTAL_API_URL, protocol in docs/postal.md). Each operator's webhook secret comes from the
# environment (MOTCUA_POSTAL_WEBHOOK_SECRET_<CODE>); with none set, its webhook refuses every call.
POSTAL_OPERATORS = {
    "vnpost": {"label": "Bưu điện Việt Nam (VNPost)", "service": "EE", "country": "VN"},
}
POSTAL_DEFAULT_OPERATOR = "vnpost"
POSTAL_OPERATOR_BACKEND = os.environ.get("POSTAL_OPERATOR_BACKEND", "file")
POSTAL_API_URL = os.environ.get("POSTAL_API_URL", "")
POSTAL_API_KEY = os.environ.get("POSTAL_API_KEY", "")
POSTAL_OUTBOX_DIR = os.environ.get("POSTAL_OUTBOX_DIR", str(VAR_DIR / "postal" / "outbox"))
POSTAL_WEBHOOK_SECRETS = {
    code: os.environ.get(f"MOTCUA_POSTAL_WEBHOOK_SECRET_{code.upper()}", "")
    for code in POSTAL_OPERATORS
}
POSTAL_WEBHOOK_WINDOW_SECONDS = int(os.environ.get("POSTAL_WEBHOOK_WINDOW_SECONDS", "300"))
POSTAL_SENDER_ADDRESS = os.environ.get(
    "POSTAL_SENDER_ADDRESS", "Trung tâm Phục vụ hành chính công tỉnh, Phường Thành Sen, Hà Tĩnh"
)
# Postage of a result (đồng) by weight band (up to N grams) and zone. DEMO VALUES, not an official
# tariff: replace with the price list agreed with the postal operator (the province's decision on
# the public postal service for administrative procedures).
POSTAL_TARIFF = {
    "bands": [100, 250, 500, 1000, 2000],
    "intra_province": [20000, 23000, 26000, 30000, 36000],
    "other_province": [25000, 29000, 34000, 41000, 50000],
    "extra_per_500g": {"intra_province": 5000, "other_province": 8000},
}

# Payments (motcua.payments, docs/payments.md). The department's default collecting account for the
# VietQR codes, used until an administrator records accounts at /thanh-toan/quan-tri/tai-khoan/.
PAYMENTS_DEFAULT_BIN = os.environ.get("PAYMENTS_DEFAULT_BIN", "")
PAYMENTS_DEFAULT_ACCOUNT = os.environ.get("PAYMENTS_DEFAULT_ACCOUNT", "")
PAYMENTS_DEFAULT_ACCOUNT_NAME = os.environ.get("PAYMENTS_DEFAULT_ACCOUNT_NAME", "")
# Webhook secrets, one per provider (never stored in the database): generic HMAC-SHA256, SePay
# (HMAC-SHA256), Casso v2 (checksum key, HMAC-SHA512), payOS (checksum key, HMAC-SHA256).
PAYMENTS_WEBHOOK_SECRETS = {
    "generic": os.environ.get("PAYMENTS_WEBHOOK_SECRET_GENERIC", ""),
    "sepay": os.environ.get("PAYMENTS_WEBHOOK_SECRET_SEPAY", ""),
    "casso": os.environ.get("PAYMENTS_WEBHOOK_SECRET_CASSO", ""),
    "payos": os.environ.get("PAYMENTS_WEBHOOK_SECRET_PAYOS", ""),
}
# A signed notification older (or newer) than this is refused as stale or replayed.
PAYMENTS_WEBHOOK_MAX_SKEW_SECONDS = int(os.environ.get("PAYMENTS_WEBHOOK_MAX_SKEW_SECONDS", "300"))
# pyHanko logs every untrusted or tampered signature it validates as a warning with a traceback;
# the verdict already says it, so only its errors are logged.
LOGGING.setdefault("loggers", {}).update(
    {"pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}}
)

# Staff sign-in protection (motcua.accounts.signin, docs/adr/0021). An account is locked for
# LOCK_MINUTES after LOCK_FAILURES wrong passwords or codes within WINDOW_MINUTES; an address is
# refused for the rest of the window after ADDRESS_FAILURES failures from it (any username).
MOTCUA_SIGNIN_LOCK_FAILURES = int(os.environ.get("MOTCUA_SIGNIN_LOCK_FAILURES", "10"))
MOTCUA_SIGNIN_WINDOW_MINUTES = int(os.environ.get("MOTCUA_SIGNIN_WINDOW_MINUTES", "15"))
MOTCUA_SIGNIN_LOCK_MINUTES = int(os.environ.get("MOTCUA_SIGNIN_LOCK_MINUTES", "30"))
MOTCUA_SIGNIN_ADDRESS_FAILURES = int(os.environ.get("MOTCUA_SIGNIN_ADDRESS_FAILURES", "30"))
# "required": leaders and administrators must use a TOTP second factor (RFC 6238) to sign in;
# "optional" (default): any staff member may turn it on for their account.
MOTCUA_STAFF_2FA = os.environ.get("MOTCUA_STAFF_2FA", "optional")
# Public tracking page: at most this many pages (and detail unlock attempts) per client address per
# minute; at most UNLOCK_FAILURES wrong last digits per dossier per hour.
MOTCUA_TRACKING_PER_MINUTE = int(os.environ.get("MOTCUA_TRACKING_PER_MINUTE", "30"))
MOTCUA_TRACKING_UNLOCK_FAILURES = int(os.environ.get("MOTCUA_TRACKING_UNLOCK_FAILURES", "5"))
# Zalo ZNS (motcua.notifications.zalo, ADR 0024): template messages to a citizen's phone for those
# who chose Zalo on their profile; SMS when Zalo refuses. ZALO_GATEWAY: "" (off: everything by
# SMS), "console" (prints, for the demo) or "zns" (Zalo's HTTP API).
ZALO_GATEWAY = os.environ.get("ZALO_GATEWAY", "console")
ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me")
ZALO_OA_ACCESS_TOKEN = os.environ.get("ZALO_OA_ACCESS_TOKEN", "")
ZALO_OAUTH_URL = os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token")
ZALO_OA_REFRESH_TOKEN = os.environ.get("ZALO_OA_REFRESH_TOKEN", "")
ZALO_APP_ID = os.environ.get("ZALO_APP_ID", "")
ZALO_APP_SECRET = os.environ.get("ZALO_APP_SECRET", "")
# Approved template ids per message kind: "general=123456,result=234567".
ZALO_ZNS_TEMPLATES = os.environ.get("ZALO_ZNS_TEMPLATES", "general=0")
