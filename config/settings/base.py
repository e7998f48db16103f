"""Base settings: everything comes from the environment, with safe development defaults.

Overlays: `config.settings.test` (the test suite) and `config.settings.production` (refuses to start
without a secret key and turns every HTTPS protection on).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "motcua.dvcqg",
    "motcua.exchange",
    "motcua.eforms",
    "motcua.demo",
    "motcua.archives",
]

MIDDLEWARE = [
    # First: the request id, the access log line and the request metrics cover every answer
    # (redirects to HTTPS, static files, errors) — motcua.ops, ADR 0028.
    "motcua.ops.middleware.RequestObservationMiddleware",
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

# Shared state (docs/adr/0029): the default cache holds API idempotency keys, rate-limit and
# one-time-code counters and the dashboards' sections; "pages" holds whole public pages
# (motcua.core.pagecache: the dossier tracking page), forgotten when a change commits.
# With REDIS_URL (redis://127.0.0.1:6379/0) both live in Redis, which every app server shares: a key
# claimed, a count or a page forgotten on one server holds on all of them. Without it, the
# single-process defaults of `make demo`: memory for the default cache (or DJANGO_CACHE=database,
# then `motcua createcachetable`), files for the pages (every worker of one machine shares them;
# best on tmpfs, MOTCUA_PAGE_CACHE_DIR=/dev/shm/motcua-pages). Pages live 5 minutes at most.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# Every key starts with it: two installations (or a test run) on one Redis never read each other's.
MOTCUA_CACHE_KEY_PREFIX = os.environ.get("MOTCUA_CACHE_KEY_PREFIX", "motcua")
# A Redis that stops answering fails a request in seconds instead of holding its worker.
_REDIS_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "health_check_interval": 30}
CACHES: dict[str, dict] = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": MOTCUA_CACHE_KEY_PREFIX,
            "OPTIONS": _REDIS_OPTIONS,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{MOTCUA_CACHE_KEY_PREFIX}:pages",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
    if REDIS_URL
    else {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if os.environ.get("DJANGO_CACHE", "memory") == "memory"
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache"},
        "pages": {
            "BACKEND": "motcua.core.pagecache.PageFileCache",
            "LOCATION": os.environ.get("MOTCUA_PAGE_CACHE_DIR", str(VAR_DIR / "cache" / "pages")),
            # Two files a page (its generation and its body): the pages read in five minutes fit.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }
)

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

# Logs (motcua.ops.logs, ADR 0028): one line per event on standard error, "plain" for a person
# (the default, the demo) or "json" (one object a line; production's default) for a collector.
# Every line carries the id of the request it was written for (X-Request-ID, also sent back), and
# one access line per request names the view and its URL pattern — never the path, the query
# string, a body or a user name. Django's own request lines are rewritten the same way.
MOTCUA_LOG_FORMAT = os.environ.get("MOTCUA_LOG_FORMAT", "plain")
MOTCUA_ACCESS_LOG = env_bool("MOTCUA_ACCESS_LOG", True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "motcua.ops.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {"()": "motcua.ops.logs.PlainFormatter"},
        "json": {"()": "motcua.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": MOTCUA_LOG_FORMAT,
            "filters": ["request_context"],
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's loggers write through the console above (Django's own handlers would print or
        # mail the raw path); runserver's request lines are replaced by motcua.access.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["null"], "propagate": False},
        "motcua.access": {"level": "INFO" if MOTCUA_ACCESS_LOG else "WARNING"},
    },
}
if MOTCUA_LOG_FORMAT not in LOGGING["formatters"]:
    raise ImproperlyConfigured("MOTCUA_LOG_FORMAT phải là plain hoặc json.")

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

# Files (motcua.documents.storage, ADR 0027): every file the installation keeps — scans, uploads,
# feedback attachments, signed results, reform evidence — in one store: a folder under the data
# folder by default, an S3-compatible bucket (django-storages) when MOTCUA_S3_BUCKET is set. The
# "default" alias (FileFields) is the same store, so nothing lands anywhere else and one backup
# copies it all.
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
            # django-storages' own file object spools a download in memory without limit by
            # default (0); past 1 MB it goes to a temporary file. Our reads stream the object's
            # body instead (motcua.documents.storage.storage_open).
            "max_memory_size": 1024 * 1024,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "documents"), "base_url": None},
    }
STORAGES["default"] = STORAGES["documents"]
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

# National public-service portal (Cổng DVCQG, motcua.dvcqg, docs/dvcqg.md, ADR 0030). Sync is off
# while DVCQG_ADAPTER_URL is empty. The three paths are appended to the adapter URL (the adapter
# account, unit code and dstcode header are issued by the Văn phòng Chính phủ with the connection).
DVCQG_ADAPTER_URL = os.environ.get("DVCQG_ADAPTER_URL", "").rstrip("/")
DVCQG_AUTH_ENDPOINT = os.environ.get("DVCQG_AUTH_ENDPOINT", "")
DVCQG_INTEGRATION_ENDPOINT = os.environ.get("DVCQG_INTEGRATION_ENDPOINT", "")
DVCQG_SHARE_ENDPOINT = os.environ.get("DVCQG_SHARE_ENDPOINT", "")
DVCQG_USERNAME = os.environ.get("DVCQG_USERNAME", "")
DVCQG_PASSWORD = os.environ.get("DVCQG_PASSWORD", "")
DVCQG_MADONVI = os.environ.get("DVCQG_MADONVI", "")
DVCQG_DSTCODE = os.environ.get("DVCQG_DSTCODE", "")
# Seconds to wait for each read of a reply, and for the whole reply; connecting has its own limit.
DVCQG_TIMEOUT_SECONDS = float(os.environ.get("DVCQG_TIMEOUT_SECONDS", "30"))
DVCQG_CONNECT_TIMEOUT_SECONDS = float(os.environ.get("DVCQG_CONNECT_TIMEOUT_SECONDS", "5"))
# A reply larger than this is abandoned while it streams in (a broken proxy, not the portal).
DVCQG_MAX_REPLY_BYTES = int(os.environ.get("DVCQG_MAX_REPLY_BYTES", str(2 * 1024 * 1024)))
# How long a session token is reused (OpenCPS keeps it 10 minutes; the login reply has no expiry).
DVCQG_SESSION_MINUTES = int(os.environ.get("DVCQG_SESSION_MINUTES", "10"))
# error_code values (comma-separated) that mean "session invalid or expired", besides HTTP 401/403:
# not documented in the sources at hand; set them once the VPCP specification names them.
DVCQG_AUTH_ERROR_CODES = env_list("DVCQG_AUTH_ERROR_CODES", "")
# Days a signed link to a dossier's file, sent to the portal in TaiLieuNop / DanhSachGiayToKetQua,
# stays valid.
DVCQG_FILE_LINK_DAYS = int(os.environ.get("DVCQG_FILE_LINK_DAYS", "30"))
# The sync (motcua.dvcqg.sync, on the change feed): changes made before this day (YYYY-MM-DD) are
# never sent by themselves — so switching the sync on does not push years of history by accident;
# `motcua dvcqg resync --from --to` sends a range on purpose. A change refused this many times is
# set aside as dead, shown at /can-bo/lien-thong/dvcqg/ to be requeued.
DVCQG_SYNC_SINCE = os.environ.get("DVCQG_SYNC_SINCE", "")
DVCQG_SYNC_MAX_ATTEMPTS = int(os.environ.get("DVCQG_SYNC_MAX_ATTEMPTS", "8"))
DVCQG_SYNC_BATCH = int(os.environ.get("DVCQG_SYNC_BATCH", "100"))
# The unit name sent with ratings and Q&A (TENDONVI, TenDonVi); empty: MOTCUA_SIGNING_UNIT_NAME.
DVCQG_TENDONVI = os.environ.get("DVCQG_TENDONVI", "")

# Document exchange between agencies (edXML, QCVN 102:2016; motcua.exchange, docs/exchange.md,
# ADR 0034). MOTCUA_EXCHANGE_TRANSPORT: "" (off: registers only, packages by hand with
# `motcua exchange pack/unpack/receive FILE`), "directory" (a shared folder: ROOT/<organ code>/inbox)
# or "http" (a document-exchange gateway: URL, this system's id and secret).
MOTCUA_EXCHANGE_TRANSPORT = os.environ.get("MOTCUA_EXCHANGE_TRANSPORT", "")
MOTCUA_EXCHANGE_DIRECTORY = os.environ.get("MOTCUA_EXCHANGE_DIRECTORY", "")
MOTCUA_EXCHANGE_GATEWAY_URL = os.environ.get("MOTCUA_EXCHANGE_GATEWAY_URL", "").rstrip("/")
MOTCUA_EXCHANGE_SYSTEM_ID = os.environ.get("MOTCUA_EXCHANGE_SYSTEM_ID", "")
MOTCUA_EXCHANGE_SECRET = os.environ.get("MOTCUA_EXCHANGE_SECRET", "")
MOTCUA_EXCHANGE_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_EXCHANGE_TIMEOUT_SECONDS", "30"))
# A package larger than this is refused before it is parsed; each attached file has its own limit.
MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES = int(
    os.environ.get("MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES", str(64 * 1024 * 1024))
)
MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024))
)

# Citizen sign-on with the national account (Cổng DVCQG, VNeID through it; motcua.accounts.
# national_signon, docs/national-signon.md, ADR 0035). Named after the OpenCPS keys of reference §9
# (auth_server, auth_endpoint, accesstoken_endpoint, userinfo_endpoint, clientid, client_secret,
# callback_url, scope, acr_values). Off — and no button on the sign-in page — while
# DVCQG_SSO_AUTH_SERVER or DVCQG_SSO_CLIENT_ID is empty. The paths default to the public ones of
# the national IdP (xacthuc.dichvucong.gov.vn, WSO2 Identity Server). The callback URL defaults to
# this site's own /cong-dan/tai-khoan/dvcqg/callback/. PKCE (S256) is sent unless DVCQG_SSO_PKCE=0.
DVCQG_SSO_AUTH_SERVER = os.environ.get("DVCQG_SSO_AUTH_SERVER", "").rstrip("/")
DVCQG_SSO_AUTH_ENDPOINT = os.environ.get("DVCQG_SSO_AUTH_ENDPOINT", "/oauth2/authorize")
DVCQG_SSO_TOKEN_ENDPOINT = os.environ.get("DVCQG_SSO_TOKEN_ENDPOINT", "/oauth2/token")
DVCQG_SSO_USERINFO_ENDPOINT = os.environ.get("DVCQG_SSO_USERINFO_ENDPOINT", "/oauth2/userinfo")
DVCQG_SSO_CLIENT_ID = os.environ.get("DVCQG_SSO_CLIENT_ID", "")
DVCQG_SSO_CLIENT_SECRET = os.environ.get("DVCQG_SSO_CLIENT_SECRET", "")
DVCQG_SSO_CALLBACK_URL = os.environ.get("DVCQG_SSO_CALLBACK_URL", "")
DVCQG_SSO_SCOPE = os.environ.get("DVCQG_SSO_SCOPE", "openid")
DVCQG_SSO_ACR_VALUES = os.environ.get("DVCQG_SSO_ACR_VALUES", "LoA1")
DVCQG_SSO_PKCE = os.environ.get("DVCQG_SSO_PKCE", "1") != "0"
# Seconds for the token and userinfo calls (each); minutes a started sign-in (state) stays usable.
DVCQG_SSO_TIMEOUT_SECONDS = float(os.environ.get("DVCQG_SSO_TIMEOUT_SECONDS", "10"))
DVCQG_SSO_STATE_MINUTES = int(os.environ.get("DVCQG_SSO_STATE_MINUTES", "10"))
# The provider's signing keys (JWKS) for the id_token's signature, and the issuer (`iss`) it must
# name. Not in the sources: set them from the provider's registration papers (WSO2 IS commonly
# serves /oauth2/jwks). Without a key set the signature is taken on the word of an https token
# endpoint (OpenID Connect Core §3.1.3.7 (6)); over http the sign-on is refused.
DVCQG_SSO_JWKS_ENDPOINT = os.environ.get("DVCQG_SSO_JWKS_ENDPOINT", "")
DVCQG_SSO_ISSUER = os.environ.get("DVCQG_SSO_ISSUER", "")
# Sign-on pages (start, callback, link) a client may open a minute: each start sends the browser
# to the national IdP and each callback costs two calls to it.
DVCQG_SSO_PER_MINUTE = int(os.environ.get("DVCQG_SSO_PER_MINUTE", "20"))

# Health and metrics (motcua.ops, ADR 0028). /healthz and /readyz are open to anyone (a load
# balancer's probe); /metrics (Prometheus) only to these addresses — IPs or CIDRs, judged as the
# rate limits judge the client (MOTCUA_TRUSTED_PROXIES) — or with the header
# `Authorization: Bearer <MOTCUA_METRICS_TOKEN>` (empty: no token opens it).
MOTCUA_METRICS_ALLOWED = env_list("MOTCUA_METRICS_ALLOWED", "127.0.0.1,::1")
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
# Where every app worker keeps its request counters for the scrape to sum: one folder per server
# run under this one, unless PROMETHEUS_MULTIPROC_DIR names the folder (then the service empties
# it before each start, e.g. systemd's RuntimeDirectory=).
MOTCUA_METRICS_DIR = os.environ.get("MOTCUA_METRICS_DIR", str(VAR_DIR / "metrics"))

# The agency whose ISO 9001 quality system the register is (ADR 0038); empty: the agency above the
# Office (the reform focal unit).
MOTCUA_ISO_AGENCY_CODE = os.environ.get("MOTCUA_ISO_AGENCY_CODE", "")
