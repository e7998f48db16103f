"""client_ip: the client's address as the configured trusted proxy chain reports it ([O] 1)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from motcua.core.client_address import client_ip


def request(remote="127.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_writes(settings):
    settings.MOTCUA_TRUSTED_PROXIES = []
    assert client_ip(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert client_ip(request("198.51.100.7")) == "198.51.100.7"


def test_a_trusted_chain_is_walked_from_the_right(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # forged by the client, the client as the outer proxy saw it, an inner proxy
    chain = "203.0.113.9, 198.51.100.7, 10.1.2.3"
    assert client_ip(request("127.0.0.1", chain)) == "198.51.100.7"
    assert client_ip(request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"  # the proxy itself, no header


def test_a_peer_that_is_no_trusted_proxy_is_not_believed(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("198.51.100.7", "203.0.113.9, 10.0.0.1")) == "198.51.100.7"


def test_the_setting_may_be_one_comma_separated_string_with_ipv6(settings):
    settings.MOTCUA_TRUSTED_PROXIES = "::1, 2001:db8::/32"
    assert client_ip(request("::1", "2001:db8::5, 2001:db8::1")) == "2001:db8::5"  # all trusted
    assert client_ip(request("::1", "198.51.100.7, 2001:db8::1")) == "198.51.100.7"


def test_garbage_in_the_header_stops_at_the_proxy_that_passed_it(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip(request("127.0.0.1", "198.51.100.7, not-an-ip, 10.1.2.3")) == "10.1.2.3"
    assert client_ip(request("127.0.0.1", "10.9.9.9, 10.1.2.3")) == "10.9.9.9"  # all trusted


def test_no_peer_address_is_unknown(settings):
    assert client_ip(request("")) == "unknown"


def test_a_bad_setting_says_which(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_TRUSTED_PROXIES"):
        client_ip(request("10.0.0.1"))
