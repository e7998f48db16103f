"""Citizen sign-on with the national account (Cổng DVCQG / VNeID, issue [I] item 6), over real HTTP
against the stand-in IdP: the whole flow, linking an existing account after confirmation, and
every refusal (state, replay, nonce, provider error, token failure and timeout, user info without
an ID number, a name that disagrees) with its Vietnamese message and nothing created."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from motcua.accounts import national_signon as ns
from motcua.accounts.models import NationalAccount, NationalSignOnCall, User
from motcua.accounts.national_signon_standin import IDENTITIES
from tests.accounts.factories import UserFactory

from .national_signon_flow import (
    SECRET,
    callback_path,
    choose,
    idp_started,
    query_of,
    sign_on,
    to_idp,
)

pytestmark = pytest.mark.django_db

AN = IDENTITIES["cong-dan-an"]


@pytest.fixture
def idp(settings):
    server = idp_started(settings)
    yield server
    server.close()


def counts():
    return (User.objects.count(), NationalAccount.objects.count())


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refused(response, message):
    page = response.content.decode()
    assert response.status_code == 400, page
    assert message in page
    return page


# --- the flow ----------------------------------------------------------------------------------


def test_the_whole_flow_opens_an_account_and_signs_the_citizen_in(client, idp):
    authorize = to_idp(client, next_url="/cong-dan/tai-khoan/thong-tin/")
    asked = query_of(authorize)
    assert authorize.startswith(idp.url + "/oauth2/authorize?")
    assert asked["response_type"] == "code" and asked["scope"] == "openid"
    assert asked["acr_values"] == "LoA1" and asked["client_id"] == "motcua"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32
    assert asked["redirect_uri"] == "http://testserver/cong-dan/tai-khoan/dvcqg/callback/"
    response = client.get(callback_path(choose(idp, authorize, "cong-dan-an")))
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/tai-khoan/thong-tin/"
    user = signed_in_user(client)
    assert (user.role, user.full_name, user.citizen_id) == (
        "citizen",
        AN["HoVaTen"],
        AN["SoDinhDanh"],
    )
    assert not user.has_usable_password() and user.phone == "" and user.email == ""
    account = user.national_account
    assert (account.tech_id, account.kind, account.citizen_id) == (
        AN["TechID"],
        "1",
        AN["SoDinhDanh"],
    )
    assert client.session[ns.SESSION_SIGNED_IN] == AN["TechID"]
    # The token request carried the PKCE verifier and the client's credentials in the form.
    [token_request] = idp.token_requests
    assert token_request["code_verifier"] and token_request["client_id"] == "motcua"
    assert list(NationalSignOnCall.objects.order_by("pk").values_list("step", "outcome")) == [
        ("token", "ok"),
        ("jwks", "ok"),  # the provider's key set, fetched to check the id_token's signature
        ("userinfo", "ok"),
    ]
    # Signed in: the citizen's pages open.
    assert client.get(reverse("portal:account_home")).status_code == 200


def test_the_second_sign_in_finds_the_linked_account(client, idp):
    sign_on(client, idp)
    first = signed_in_user(client)
    client.logout()
    response = sign_on(client, idp)
    assert response.status_code == 302 and signed_in_user(client) == first
    assert counts() == (1, 1)
    assert first.national_account.last_signed_in_at is not None


def test_a_business_account_keeps_its_business_fields(client, idp):
    sign_on(client, idp, "doanh-nghiep")
    account = signed_in_user(client).national_account
    assert (account.kind, account.tax_code, account.business_name) == (
        "2",
        "3000000001",
        "Công ty TNHH Thử Nghiệm Hồng Lĩnh",
    )
    assert ns.national_tech_id_for(tax_code="3000000001") == "TECH-0003-DN"
    assert ns.national_tech_id_for(citizen_id=AN["SoDinhDanh"]) == ""


def test_a_business_account_is_never_taken_for_its_representative(client, idp):
    """The business names its representative's number: that person's own sign-in later opens
    (or finds) their own account, not the business's, and asks nothing."""
    representative = idp.identities["doanh-nghiep"]["SoDinhDanh"]
    idp.identities["cong-dan-an"]["SoDinhDanh"] = representative
    sign_on(client, idp, "doanh-nghiep")
    business = signed_in_user(client)
    assert business.citizen_id == "" and business.national_account.citizen_id == representative
    client.logout()
    assert sign_on(client, idp, "cong-dan-an")["Location"] == reverse("portal:account_home")
    person = signed_in_user(client)
    assert person != business and person.citizen_id == representative
    assert ns.national_tech_id_for(citizen_id=representative) == AN["TechID"]
    assert counts() == (2, 2)


def test_the_button_shows_only_when_configured(client, settings, idp):
    page = client.get(reverse("portal:signin")).content.decode()
    assert "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia / VNeID" in page
    settings.DVCQG_SSO_AUTH_SERVER = ""
    page = client.get(reverse("portal:signin")).content.decode()
    assert "Cổng Dịch vụ công quốc gia / VNeID" not in page
    assert client.get(reverse("portal:national_signon_start")).status_code == 404
    assert client.get(reverse("portal:national_signon_callback")).status_code == 404


def test_pkce_can_be_switched_off_for_a_provider_without_it(client, settings, idp):
    settings.DVCQG_SSO_PKCE = False
    authorize = to_idp(client)
    assert "code_challenge" not in query_of(authorize)
    assert client.get(callback_path(choose(idp, authorize, "cong-dan-an"))).status_code == 302
    assert "code_verifier" not in idp.token_requests[0]


# --- linking an account that exists ------------------------------------------------------------


@pytest.fixture
def an_by_code():
    """An account opened earlier with a one-time code, its owner having declared the number."""
    return UserFactory(
        citizen=True,
        username="an-otp",
        full_name="nguyễn văn an",
        citizen_id=AN["SoDinhDanh"],
        phone="0987654321",
        email="an.nguyen@example.com",
    )


def test_an_existing_account_is_linked_after_its_owner_confirms(client, idp, an_by_code):
    response = sign_on(client, idp, next_url="/cong-dan/tai-khoan/thong-tin/")
    assert response["Location"] == reverse("portal:national_signon_link")
    assert signed_in_user(client) is None and counts() == (1, 0)  # nothing until confirmed
    page = client.get(reverse("portal:national_signon_link")).content.decode()
    for shown in ("n*** v*** a***", "098****321", "a***@example.com", "042******234"):
        assert shown in page
    for hidden in ("0987654321", "an.nguyen@example.com", AN["SoDinhDanh"]):
        assert hidden not in page
    response = client.post(reverse("portal:national_signon_link"), {"action": "link"})
    assert response["Location"] == "/cong-dan/tai-khoan/thong-tin/"
    assert signed_in_user(client) == an_by_code and counts() == (1, 1)
    an_by_code.refresh_from_db()
    assert an_by_code.national_account.tech_id == AN["TechID"]
    assert an_by_code.full_name == "nguyễn văn an"  # the name as its owner wrote it stays
    # The confirmation is used once.
    again = client.post(reverse("portal:national_signon_link"), {"action": "link"})
    refused(again, "Yêu cầu liên kết tài khoản đã hết hạn")


def test_declining_the_link_changes_nothing(client, idp, an_by_code):
    sign_on(client, idp)
    response = client.post(reverse("portal:national_signon_link"), {"action": "cancel"})
    assert response["Location"] == reverse("portal:signin")
    assert signed_in_user(client) is None and counts() == (1, 0)


def test_a_stale_link_confirmation_is_refused(client, idp, an_by_code):
    sign_on(client, idp)
    session = client.session
    session["national_signon_link"]["expires"] = time.time() - 1
    session.save()
    refused(client.get(reverse("portal:national_signon_link")), "đã hết hạn")
    assert counts() == (1, 0)


def test_a_different_name_for_the_number_is_refused_and_nothing_overwritten(client, idp):
    other = UserFactory(citizen=True, full_name="Hoàng Thị Khác", citizen_id=AN["SoDinhDanh"])
    page = refused(
        sign_on(client, idp), "Họ tên trên tài khoản Cổng Dịch vụ công quốc gia không khớp"
    )
    assert "Bộ phận Một cửa" in page
    other.refresh_from_db()
    assert other.full_name == "Hoàng Thị Khác" and counts() == (1, 0)
    assert signed_in_user(client) is None


def test_two_accounts_with_the_number_are_refused(client, idp):
    UserFactory(citizen=True, full_name=AN["HoVaTen"], citizen_id=AN["SoDinhDanh"])
    UserFactory(citizen=True, full_name=AN["HoVaTen"], citizen_id=AN["SoDinhDanh"])
    refused(sign_on(client, idp), "Có nhiều tài khoản đăng ký cho số định danh")
    assert counts() == (2, 0)


def test_a_staff_account_with_the_number_is_never_linked(client, idp):
    UserFactory(full_name="Cán Bộ Khác Tên", citizen_id=AN["SoDinhDanh"])  # a desk officer
    assert sign_on(client, idp).status_code == 302
    assert signed_in_user(client).role == "citizen"


# --- refusals: each with its message, nothing created -------------------------------------------


def test_a_forged_state_is_refused_before_any_call(client, idp):
    authorize = to_idp(client)
    back = query_of(choose(idp, authorize, "cong-dan-an"))
    response = client.get(
        reverse("portal:national_signon_callback"), {"code": back["code"], "state": "gia-mao"}
    )
    refused(response, "Phiên đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia không hợp lệ")
    assert idp.token_requests == [] and counts() == (0, 0)
    assert not NationalSignOnCall.objects.exists()


def test_a_callback_in_another_browser_is_refused(client, idp):
    """The state belongs to the session that started: another browser (login CSRF) has none."""
    from django.test import Client

    back = choose(idp, to_idp(client), "cong-dan-an")
    refused(Client().get(callback_path(back)), "không hợp lệ hoặc đã được dùng")
    assert idp.token_requests == [] and counts() == (0, 0)


def test_a_replayed_state_is_refused(client, idp):
    back = choose(idp, to_idp(client), "cong-dan-an")
    assert client.get(callback_path(back)).status_code == 302
    refused(client.get(callback_path(back)), "không hợp lệ hoặc đã được dùng")
    assert len(idp.token_requests) == 1 and counts() == (1, 1)


def test_an_expired_state_is_refused(client, settings, idp):
    settings.DVCQG_SSO_STATE_MINUTES = 0
    back = choose(idp, to_idp(client), "cong-dan-an")
    time.sleep(0.01)
    refused(client.get(callback_path(back)), "đã hết hạn")
    assert idp.token_requests == [] and counts() == (0, 0)


def test_a_wrong_nonce_is_refused(client, idp, caplog):
    idp.faults.wrong_nonce = True
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "nonce does not match" in caplog.text
    assert counts() == (0, 0) and signed_in_user(client) is None


def test_an_hs256_id_token_signed_with_another_secret_is_refused(client, idp, caplog):
    idp.id_token_alg = "HS256"
    idp.client_secret = (
        "mot-khoa-khac-cung-du-dai-ba-muoi-hai-byte"  # the IdP signs with it; we check with ours
    )
    original = SECRET
    assert original != idp.client_secret
    # The token endpoint checks the client with its own (new) secret: keep ours accepted.
    idp_token = idp.token

    def token(headers, form):
        form = {**form, "client_secret": idp.client_secret}
        return idp_token(headers, form)

    idp.token = token
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "id_token refused (InvalidSignatureError)" in caplog.text
    assert counts() == (0, 0)


def test_an_hs256_id_token_keyed_with_our_secret_signs_in(client, idp):
    idp.id_token_alg = "HS256"
    assert sign_on(client, idp).status_code == 302
    assert signed_in_user(client) is not None


def test_an_rs256_id_token_signed_by_a_key_outside_the_provider_s_key_set_is_refused(
    client, idp, caplog
):
    idp.faults.foreign_key = True
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "id_token refused (InvalidSignatureError)" in caplog.text
    assert counts() == (0, 0) and signed_in_user(client) is None


def test_an_unsigned_id_token_is_refused(client, idp, caplog):
    idp.faults.alg_none = True
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "id_token refused (InvalidAlgorithmError)" in caplog.text
    assert counts() == (0, 0)


def test_an_id_token_from_another_issuer_is_refused(client, settings, idp, caplog):
    settings.DVCQG_SSO_ISSUER = "https://xacthuc.dichvucong.gov.vn/oauth2/token"
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "id_token refused (InvalidIssuerError)" in caplog.text
    assert counts() == (0, 0)


def test_without_a_key_set_an_rs256_token_is_not_taken_on_the_word_of_plain_http(
    client, settings, idp, caplog
):
    settings.DVCQG_SSO_JWKS_ENDPOINT = ""
    refused(sign_on(client, idp), "không hợp lệ (không đúng phiên)")
    assert "id_token refused (InvalidSignatureError)" in caplog.text
    assert counts() == (0, 0)


def test_a_new_provider_key_is_fetched_once_and_the_key_set_is_cached(client, idp):
    """Key rollover: a token whose kid the cached set lacks makes us fetch the set again."""
    jwks_calls = lambda: NationalSignOnCall.objects.filter(step="jwks").count()  # noqa: E731
    assert sign_on(client, idp).status_code == 302
    first = jwks_calls()
    client.logout()
    assert sign_on(client, idp).status_code == 302
    assert jwks_calls() == first  # cached
    idp.key_id = "khoa-moi"  # the provider rolls its key over
    client.logout()
    assert sign_on(client, idp).status_code == 302
    assert jwks_calls() == first + 1


def test_the_sign_on_pages_are_limited_per_client(client, settings, idp):
    settings.DVCQG_SSO_PER_MINUTE = 3
    start = reverse("portal:national_signon_start")
    assert [client.get(start).status_code for _ in range(3)] == [302, 302, 302]
    response = client.get(start)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "quá nhiều lần" in response.content.decode()
    assert len(idp.authorize_requests) == 0  # nothing reached the provider from the refused one


def test_the_citizen_cancelling_at_the_provider(client, idp):
    back = choose(idp, to_idp(client), "cong-dan-an", action="cancel")
    assert query_of(back)["error"] == "access_denied"
    refused(client.get(callback_path(back)), "Ông/bà đã hủy đăng nhập")
    assert idp.token_requests == [] and counts() == (0, 0)


def test_a_provider_error_is_refused(client, idp):
    state = query_of(to_idp(client))["state"]
    response = client.get(
        reverse("portal:national_signon_callback"),
        {"error": "server_error", "error_description": "Lỗi hệ thống 0912345678", "state": state},
    )
    refused(response, "Cổng Dịch vụ công quốc gia báo lỗi khi đăng nhập (server_error)")
    assert idp.token_requests == [] and counts() == (0, 0)


@pytest.mark.parametrize("status", [500, 400, 401])
def test_the_token_endpoint_failing(client, idp, status):
    idp.faults.token_status = status
    refused(sign_on(client, idp), "Không kết nối được Cổng Dịch vụ công quốc gia")
    assert counts() == (0, 0)
    call = NationalSignOnCall.objects.get()
    assert (call.step, call.http_status) == ("token", status)
    assert call.outcome == ("transport" if status == 500 else "refused")


def test_the_token_endpoint_too_slow(client, settings, idp):
    settings.DVCQG_SSO_TIMEOUT_SECONDS = 0.5
    idp.faults.token_delay = 2.0
    started = time.monotonic()
    refused(sign_on(client, idp), "Không kết nối được Cổng Dịch vụ công quốc gia")
    assert time.monotonic() - started < 1.9
    call = NationalSignOnCall.objects.get()
    assert (call.step, call.outcome, call.message) == ("token", "transport", "timeout")
    assert counts() == (0, 0)


def test_the_token_endpoint_unreachable(client, settings, idp):
    settings.DVCQG_SSO_TOKEN_ENDPOINT = "http://127.0.0.1:9/oauth2/token"  # nobody listens
    refused(sign_on(client, idp), "Không kết nối được Cổng Dịch vụ công quốc gia")
    assert NationalSignOnCall.objects.get().outcome == "transport" and counts() == (0, 0)


def test_the_userinfo_endpoint_failing(client, idp):
    idp.faults.userinfo_status = 503
    refused(sign_on(client, idp), "Không kết nối được Cổng Dịch vụ công quốc gia")
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    "identity,drop", [("thieu-so-dinh-danh", set()), ("cong-dan-an", {"SoDinhDanh"})]
)
def test_user_info_without_an_id_number_is_refused(client, idp, identity, drop):
    idp.faults.userinfo_drop = drop
    refused(sign_on(client, idp, identity), "không cho biết số định danh cá nhân hợp lệ")
    assert counts() == (0, 0) and signed_in_user(client) is None


def test_user_info_with_a_malformed_id_number_is_refused(client, idp):
    idp.identities["cong-dan-an"]["SoDinhDanh"] = "999999999999"
    refused(sign_on(client, idp), "không cho biết số định danh cá nhân hợp lệ")
    assert counts() == (0, 0)


def test_user_info_without_tech_id_is_refused(client, idp):
    idp.faults.userinfo_drop = {"TechID"}
    refused(sign_on(client, idp), "không trả về mã tài khoản (TechID)")
    assert counts() == (0, 0)


# --- nothing personal or secret in the records and the log -------------------------------------


def test_no_secret_nor_personal_data_in_call_records_or_log(client, idp, caplog):
    caplog.set_level("DEBUG")
    back = choose(idp, to_idp(client), "cong-dan-an")
    code = query_of(back)["code"]
    client.get(callback_path(back))
    idp.faults.token_status = 400
    sign_on(client, idp, "cong-dan-binh")
    stored = " ".join(str(v) for row in NationalSignOnCall.objects.values() for v in row.values())
    secrets = (SECRET, code, AN["SoDinhDanh"], AN["HoVaTen"], AN["TechID"], AN["SoDienThoai"])
    for value in secrets:
        assert value not in stored and value not in caplog.text
    for token in idp.tokens:
        assert token not in stored and token not in caplog.text
    assert NationalSignOnCall.objects.count() == 4  # token, jwks, userinfo; the refused token


def test_the_session_flag_follows_the_national_account_only(client, idp):
    sign_on(client, idp)
    user = signed_in_user(client)
    assert ns.national_signon_active(client.session, user)
    other = get_user_model().objects.create(username="khac", role="citizen")
    assert not ns.national_signon_active(client.session, other)
    client.logout()
    client.force_login(user)  # a one-time-code sign-in of the same account
    assert not ns.national_signon_active(client.session, user)
