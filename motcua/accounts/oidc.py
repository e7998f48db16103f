"""Sign-in through a central identity provider (OpenID Connect code flow), as an option.

mozilla-django-oidc speaks the protocol (authorize → callback → token → RS256 id_token checked
against the provider's JWKS → userinfo); this backend only decides which citizen account the
provider's claims name. A citizen is identified by a *verified* e-mail address or phone number —
the same identity as the one-time-code sign-in, so both ways lead to one account — and the citizen
ID claim (OIDC_CITIZEN_ID_CLAIM) is kept for prefilling applications. Staff accounts are never
signed in this way. On when OIDC_RP_CLIENT_ID is set (config/settings/base.py).
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.core.identity import citizen_id_validate
from motcua.core.lazy import lazy_module

from .one_time_codes import citizen_for_destination, destination_parse

if TYPE_CHECKING:
    import requests
else:
    requests = lazy_module("requests")  # loaded on first use: a worker's memory (core/lazy.py)

logger = logging.getLogger(__name__)


def _verified(claims: dict, name: str) -> str:
    value = (claims.get(name) or "").strip() if isinstance(claims.get(name), str) else ""
    return value if value and claims.get(f"{name}_verified") is True else ""


def destination_from_claims(claims: dict):
    """The verified e-mail (preferred) or phone number the provider vouches for, or None."""
    for name in ("email", "phone_number"):
        value = _verified(claims, name)
        if value:
            try:
                return destination_parse(value)
            except ValidationError:
                continue
    return None


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        """A refused token or an unreachable provider is a failed sign-in (back to the sign-in
        page with a message), never an error page."""
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        """The library checks the signature and the nonce; an id_token must also be meant for us
        (aud) and, when the issuer is configured, come from it (iss)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token không dành cho ứng dụng này (aud)")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id_token không do nhà cung cấp định danh đã cấu hình cấp")
        return payload

    def verify_claims(self, claims):
        return destination_from_claims(claims) is not None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        destination = destination_from_claims(claims)
        if destination is None:
            raise SuspiciousOperation("Nhà cung cấp định danh không xác nhận e-mail/số điện thoại")
        try:
            user = citizen_for_destination(destination)
        except ValidationError as exc:
            raise SuspiciousOperation(exc.messages[0]) from None
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        """Fill what the citizen has not told us yet: their name and citizen ID."""
        changed = []
        name = (claims.get("name") or "").strip()
        if name and not user.full_name:
            user.full_name = name[:150]
            changed.append("full_name")
        number = str(claims.get(settings.OIDC_CITIZEN_ID_CLAIM) or "").strip()
        if number and not user.citizen_id:
            try:
                user.citizen_id = citizen_id_validate(number)
                changed.append("citizen_id")
            except ValidationError:
                logger.warning("OIDC: citizen ID claim not valid, ignored")
        if changed:
            user.save(update_fields=changed)
        return user
