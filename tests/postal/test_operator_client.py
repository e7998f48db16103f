"""The operator client against a local server speaking the documented protocol; and the file
backend of the demo."""

import json

import pytest

from motcua.dossiers.models import Dossier
from motcua.postal.models import Consignment
from motcua.postal.operators import (
    ConsignmentRequest,
    FileOperatorClient,
    HttpOperatorClient,
    OperatorError,
    Party,
)

from .helpers import process_to_result, receive_by_post
from .operator_server import OperatorServer
from .test_round_trip import post_result


@pytest.fixture
def server():
    running = OperatorServer()
    yield running
    running.close()


def request(request_id="000.00.40.H27-240426-0001-1"):
    return ConsignmentRequest(
        request_id=request_id,
        service="EE",
        sender=Party("Trung tâm Phục vụ hành chính công", "Hà Tĩnh"),
        receiver=Party("Nguyễn Thị Hương", "Số 5, Phường Thành Sen, Hà Tĩnh", "0912345678"),
        weight_grams=120,
        reference="000.00.40.H27-240426-0001",
    )


def test_create_and_retry_give_one_number(server):
    client = HttpOperatorClient(url=server.url, api_key="khoa-api")
    number = client.create_consignment(request())
    assert number == "EE700000000VN"  # the server's first serial: 7×8 = 56, 11 − 1 = 10 → 0
    assert client.create_consignment(request()) == number  # a retry after a lost answer
    assert len(server.created) == 1
    assert server.created[request().request_id]["body"]["receiver"]["name"] == "Nguyễn Thị Hương"


@pytest.mark.parametrize(
    "setup, retryable, text",
    [
        (lambda s: setattr(s, "api_key", "khac"), False, "Sai khóa API"),
        (lambda s: setattr(s, "fail_with_status", 503), True, "HTTP 503"),
        (lambda s: setattr(s, "answer_number", "EE123456784VN"), False, "không hợp lệ"),
    ],
)
def test_refusals(server, setup, retryable, text):
    setup(server)
    with pytest.raises(OperatorError) as error:
        HttpOperatorClient(url=server.url, api_key="khoa-api").create_consignment(request())
    assert error.value.retryable is retryable and text in str(error.value)


def test_unreachable_operator_is_retryable():
    client = HttpOperatorClient(url="http://127.0.0.1:9/api", api_key="k", timeout=1)
    with pytest.raises(OperatorError) as error:
        client.create_consignment(request())
    assert error.value.retryable


def test_file_backend_is_stable_across_retries(tmp_path):
    client = FileOperatorClient(str(tmp_path))
    number = client.create_consignment(request())
    assert client.create_consignment(request()) == number
    assert client.create_consignment(request("other-1")) != number
    written = json.loads((tmp_path / f"{request().request_id}.json").read_text())
    assert written["consignment_number"] == number and written["weight_grams"] == 120


@pytest.mark.django_db
def test_posting_through_the_http_backend_and_nothing_changes_when_it_refuses(
    desk, server, settings
):
    settings.POSTAL_OPERATOR_BACKEND = "http"
    settings.POSTAL_API_URL = server.url
    settings.POSTAL_API_KEY = "khoa-api"
    dossier = process_to_result(desk, receive_by_post(desk))
    server.fail_with_status = 503
    with pytest.raises(Exception) as error:
        post_result(desk, dossier, "2024-05-09T14:00")
    assert "Chưa gửi được" in str(error.value)
    assert Dossier.objects.get().status == "finished"
    assert not Consignment.objects.filter(direction="outbound").exists()
    assert not dossier.events.filter(action="return_result").exists()
    server.fail_with_status = None
    consignment = post_result(desk, dossier, "2024-05-09T14:05")
    assert consignment.number == server.created[f"{dossier.code}-1"]["number"]
    assert Dossier.objects.get().status == "returned"
