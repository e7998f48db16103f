"""Access rules of the citizen portal, merged into tests/backoffice/test_url_access.py.

PUBLIC_URLS: reachable without signing in. Every other portal URL is a citizen's page: anonymous
visitors get the sign-in form with status 401, staff get 403, and a citizen reaches only their own
dossiers — tests/portal/test_access.py checks each URL against CITIZEN_URLS there.
"""

PUBLIC_URLS = {
    "portal:home": "citizens' portal home: procedure search, no sign-in",
    "portal:procedure_detail": "the catalogue is public (a procedure in force, no sign-in)",
    "portal:procedure_blank_form": "a blank official form the procedure names (PDF, DOCX), no sign-in",
    "portal:tracking_form": "dossier tracking form (GET ?ma=), no sign-in",
    "portal:tracking_detail": "tracking by code or receipt QR, without personal data (masked name)",
    "portal:tracking_unlock": "the last digits of the applicant's phone or ID open the full page",
    "portal:signin": "sign-in / sign-up step 1: phone or e-mail receives a one-time code",
    "portal:signin_code": "sign-in step 2: the one-time code (needs step 1 in the same session)",
    "portal:signout": "signing out (POST only) an anonymous session is harmless",
    "portal:oidc_start": "OIDC sign-in: redirect to the identity provider (404 when not configured)",
    "portal:oidc_callback": "OIDC callback from the identity provider (404 when not configured)",
    "portal:national_signon_start": "national account sign-on: redirect to the DVCQG IdP (404 when off)",
    "portal:national_signon_callback": "back from the DVCQG IdP: state checked (404 when off)",
    "portal:national_signon_link": "confirm linking: needs the pending link of this session (404 when off)",
}
