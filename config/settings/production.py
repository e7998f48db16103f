"""Production overlay: `DJANGO_SETTINGS_MODULE=config.settings.production`.

Refuses to start without a real secret key; every HTTPS protection on. `motcua check --deploy`
with this module must report no issues.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "Đặt DJANGO_SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên) trước khi chạy."
    )

# A signing key in a file is for the demo only: officials sign with a token or a remote service.
MOTCUA_FILE_KEYS_ALLOWED = False

SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# A worker keeps its database connection (checked before reuse) instead of opening one per request:
# the PostgreSQL handshake costs more than a public page's query. DATABASE_CONN_MAX_AGE=0 to close.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Logs for a collector: one JSON object a line (MOTCUA_LOG_FORMAT=plain for a person reading them).
MOTCUA_LOG_FORMAT = os.environ.get("MOTCUA_LOG_FORMAT", "json")  # base.py refused a wrong value
LOGGING["handlers"]["console"]["formatter"] = MOTCUA_LOG_FORMAT
# Probes and Prometheus may call an app server directly over HTTP (no proxy, no
# X-Forwarded-Proto): these three answer there instead of redirecting to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
