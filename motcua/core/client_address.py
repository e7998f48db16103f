"""The client's address as this server sees it. A placeholder: another change makes it honour
MOTCUA_TRUSTED_PROXIES (a forwarded-for chain from trusted proxies only); until then it is the
socket's peer, which a client cannot forge."""


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
