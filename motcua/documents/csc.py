"""Remote signing through the Cloud Signature Consortium API v2 (ADR 0032).

Four endpoints are used, under `<base>/csc/v2/`: ``credentials/list`` (the back office lists what a
signer may use), ``credentials/info`` (the certificate chain and the key's algorithms),
``credentials/authorize`` (the signer's confirmation: PIN and one-time code, bound to the hash
about to be signed, which returns the Signature Activation Data) and ``signatures/signHash``.
The service itself is reached with the installation's OAuth 2.0 access token
(MOTCUA_CSC_ACCESS_TOKEN, an ``Authorization: Bearer`` header).

pyHanko's CSCSigner does the batching and chooses the mechanism; it speaks the v1 field names, so
the request of ``signatures/signHash`` is written in v2's (``hashes``, ``hashAlgorithmOID``) and the
service's refusals are kept to tell the signer why.
"""

import base64
import contextlib
import logging
from collections.abc import AsyncIterator

from django.conf import settings

from .keys import Activation, KeySpec, SigningFailed

logger = logging.getLogger(__name__)

API_VERSION = "v2"
SHA256_OID = "2.16.840.1.101.3.4.2.1"
TIMEOUT_SECONDS = 30

MSG_UNREACHABLE = "Không kết nối được dịch vụ ký số từ xa ({url}). Chưa có gì được ký."
MSG_UNAUTHORISED = (
    "Dịch vụ ký số từ xa từ chối quyền truy cập của hệ thống (mã truy cập không hợp lệ hoặc đã "
    "hết hạn). Chưa có gì được ký; vui lòng báo quản trị hệ thống."
)
MSG_CONFIRMATION = (
    "Dịch vụ ký số từ xa không chấp nhận mã PIN hoặc mã xác nhận (OTP). Chưa có gì được ký; "
    "vui lòng kiểm tra và nhập lại."
)
MSG_CONFIRMATION_REQUIRED = "Vui lòng nhập mã PIN và mã xác nhận (OTP) để ký số từ xa."
MSG_CREDENTIAL = (
    "Dịch vụ ký số từ xa không có chứng thư “{credential}” cho tài khoản này. Chưa có gì được "
    "ký; vui lòng kiểm tra cấu hình người ký."
)
MSG_SAD = (
    "Dịch vụ ký số từ xa từ chối lệnh ký (xác nhận đã hết hạn hoặc không khớp với tài liệu). "
    "Chưa có gì được ký; vui lòng ký lại."
)
MSG_REFUSED = "Dịch vụ ký số từ xa từ chối yêu cầu ({status}: {description}). Chưa có gì được ký."
MSG_ANSWER = "Dịch vụ ký số từ xa trả lời không đúng giao thức CSC. Chưa có gì được ký."


class CscRefused(Exception):
    """The service answered with an error: its HTTP status and the CSC error object."""

    def __init__(self, endpoint: str, status: int, error: str, description: str):
        super().__init__(f"{endpoint}: {status} {error} {description}")
        self.endpoint, self.status, self.error, self.description = (
            endpoint,
            status,
            error,
            description,
        )


def refusal_message(refused: CscRefused, credential: str) -> SigningFailed:
    """The signer's words for a refusal (CSC v2 §10: errors are {error, error_description})."""
    if refused.status == 401:
        return SigningFailed(MSG_UNAUTHORISED, code="csc_unauthorised")
    if refused.error in ("invalid_pin", "invalid_otp") or (
        refused.endpoint == "credentials/authorize" and "PIN" in refused.description
    ):
        return SigningFailed(MSG_CONFIRMATION, code="csc_confirmation")
    if "credentialID" in refused.description:
        return SigningFailed(MSG_CREDENTIAL.format(credential=credential), code="csc_credential")
    if "SAD" in refused.description:
        return SigningFailed(MSG_SAD, code="csc_sad")
    return SigningFailed(
        MSG_REFUSED.format(status=refused.status, description=refused.description or "—"),
        code="csc_refused",
    )


def _session_info(spec: KeySpec):
    from pyhanko.sign.signers.csc_signer import CSCServiceSessionInfo

    return CSCServiceSessionInfo(
        service_url=spec.csc_base_url.rstrip("/"),
        credential_id=spec.csc_credential_id,
        oauth_token=settings.MOTCUA_CSC_ACCESS_TOKEN or None,
        api_ver=API_VERSION,
    )


async def csc_post(http, session_info, endpoint: str, body: dict) -> dict:
    """POST a CSC request; a refusal raises CscRefused, an unreachable service SigningFailed."""
    import aiohttp

    url = session_info.endpoint_url(endpoint)
    try:
        async with http.post(
            url,
            json=body,
            headers=session_info.auth_headers,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
        ) as response:
            answer = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        logger.warning("csc: %s unreachable or unreadable: %s", endpoint, type(error).__name__)
        raise SigningFailed(
            MSG_UNREACHABLE.format(url=session_info.service_url), code="csc_unreachable"
        ) from error
    logger.info("csc: %s -> %s", endpoint, status)  # never the body: it carries the PIN
    if status >= 400 or not isinstance(answer, dict):
        answer = answer if isinstance(answer, dict) else {}
        raise CscRefused(
            endpoint, status, str(answer.get("error", "")), str(answer.get("error_description", ""))
        )
    return answer


def credential_info_parse(answer: dict):
    """credentials/info's answer as pyHanko's CSCCredentialInfo."""
    from asn1crypto import algos, x509  # type: ignore[import-untyped]
    from pyhanko.sign.signers.csc_signer import CSCCredentialInfo

    try:
        certificates = [
            x509.Certificate.load(base64.b64decode(c)) for c in answer["cert"]["certificates"]
        ]
        mechanisms = frozenset(
            algos.SignedDigestAlgorithmId(oid).native for oid in answer["key"]["algo"]
        )
        return CSCCredentialInfo(
            signing_cert=certificates[0],
            chain=certificates[1:],
            supported_mechanisms=mechanisms,
            max_batch_size=int(answer.get("multisign", 1)),
            hash_pinning_required=int(answer.get("SCAL", 1)) == 2,
            response_data=answer,
        )
    except (KeyError, IndexError, ValueError, TypeError) as error:
        raise SigningFailed(MSG_ANSWER, code="csc_protocol") from error


def _authorization_manager_class():
    from pyhanko.sign.signers.csc_signer import CSCAuthorizationManager

    class ExplicitAuthorization(CSCAuthorizationManager):
        """The signer's confirmation (CSC v2 "explicit" authorisation): PIN and one-time code,
        sent with the very hashes to be signed, so the SAD is good for this document only."""

        def __init__(self, session_info, credential_info, http, activation: Activation):
            super().__init__(session_info, credential_info)
            self.http, self.activation = http, activation

        async def authorize_signature(self, hash_b64s):
            body = {
                "credentialID": self.csc_session_info.credential_id,
                "numSignatures": len(hash_b64s),
                "hashes": list(hash_b64s),
                "hashAlgorithmOID": SHA256_OID,
                "authData": [
                    {"id": "PIN", "value": self.activation.pin},
                    {"id": "OTP", "value": self.activation.otp},
                ],
                "description": "Ký kết quả giải quyết thủ tục hành chính",
            }
            answer = await csc_post(self.http, self.csc_session_info, "credentials/authorize", body)
            return self.parse_csc_auth_response(answer)

    return ExplicitAuthorization


def _signer_class():
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.csc_signer import CSCSigner

    class CscV2Signer(CSCSigner):
        """pyHanko's CSC signer speaking v2, keeping the service's refusal for the signer."""

        failure: Exception | None = None

        async def format_csc_signing_req(self, tbs_hashes, digest_algorithm):
            request = await super().format_csc_signing_req(tbs_hashes, digest_algorithm)
            request["hashes"] = request.pop("hash")
            request["hashAlgorithmOID"] = request.pop("hashAlgo")
            return request

        async def _do_commit(self, batch):
            try:
                request = await self.format_csc_signing_req(batch.b64_hashes, batch.md_algorithm)
                answer = await csc_post(
                    self.session, self.auth_manager.csc_session_info, "signatures/signHash", request
                )
                signatures = [base64.b64decode(s) for s in answer["signatures"]]
                if len(signatures) != len(batch.b64_hashes):
                    raise SigningError("signature count does not match")
                batch.results = signatures
            except Exception as error:
                self.failure = error
                raise SigningError("signHash failed") from error
            finally:
                self._current_batch = None
                batch.notifier.set()

    return CscV2Signer


@contextlib.asynccontextmanager
async def csc_signer(spec: KeySpec, activation: Activation) -> AsyncIterator:
    """A pyHanko signer for a CSC credential; refusals become SigningFailed."""
    import aiohttp

    if not (activation.pin and activation.otp):
        raise SigningFailed(MSG_CONFIRMATION_REQUIRED, code="csc_confirmation_required")
    session_info = _session_info(spec)
    async with aiohttp.ClientSession() as http:
        try:
            answer = await csc_post(
                http,
                session_info,
                "credentials/info",
                {"credentialID": spec.csc_credential_id, "certificates": "chain"},
            )
            info = credential_info_parse(answer)
            manager = _authorization_manager_class()(session_info, info, http, activation)
            signer = _signer_class()(http, manager)
            try:
                yield signer
            except Exception as error:
                if isinstance(signer.failure, CscRefused | SigningFailed):
                    raise signer.failure from error
                raise
        except CscRefused as refused:
            raise refusal_message(refused, spec.csc_credential_id) from refused


def credentials_list(base_url: str) -> list[dict]:
    """The credentials the installation's account may use, each {id, subject, description}: the
    back office offers them when a remote signer is configured."""
    import aiohttp

    from .signing import run_sync

    spec = KeySpec(kind="csc", csc_base_url=base_url)
    session_info = _session_info(spec)

    async def run():
        async with aiohttp.ClientSession() as http:
            answer = await csc_post(
                http,
                session_info,
                "credentials/list",
                {"credentialInfo": True, "certificates": "single", "certInfo": True},
            )
        infos = answer.get("credentialInfos") or [{} for _ in answer.get("credentialIDs", [])]
        return [
            {
                "id": credential_id,
                "subject": (info.get("cert") or {}).get("subjectDN", ""),
                "description": info.get("description", ""),
            }
            for credential_id, info in zip(answer.get("credentialIDs", []), infos, strict=False)
        ]

    try:
        return run_sync(run())
    except CscRefused as refused:
        raise refusal_message(refused, "") from refused
