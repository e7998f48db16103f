"""The leader's signing page: "Ký duyệt" is the main button, the draft result and the submitter's
opinion come first, one reason box per chosen action, who completed each step, and a message that
says what was done after every action of the workflow table."""

import re

import time_machine
from django.urls import reverse

from motcua.dossiers.workflow import DONE_TEXT, TRANSITIONS
from tests.dossiers.test_services import act, at, receive

OPINION = "Đủ điều kiện cấp Phiếu lý lịch tư pháp số 1; đề nghị ký."


def awaiting_signature(desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00", note=OPINION)
    dossier.refresh_from_db()
    return dossier


def page_of(client, user, dossier) -> str:
    client.force_login(user)
    with time_machine.travel(at("2024-05-08T09:00"), tick=False):
        return client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()


def test_the_main_button_of_the_signer_is_approve(client, desk):
    page = page_of(client, desk["leader"], awaiting_signature(desk))
    actions = page[page.index("<h2>Thao tác</h2>") :]
    actions = actions[: actions.index("<h2", 5)]
    primary = re.findall(r'class="button button--primary">([^<]+)</button>', actions)
    assert primary == ["Ký duyệt"]


def test_the_draft_result_and_the_opinion_come_before_the_actions(client, desk):
    page = page_of(client, desk["leader"], awaiting_signature(desk))
    brief = page.index("Kết quả dự thảo")
    assert brief < page.index("<h2>Thao tác</h2>")
    assert "Phiếu lý lịch tư pháp" in page[brief:]
    assert OPINION in page and str(desk["specialist"]) in page[brief : page.index("Thao tác")]


def test_one_reason_box_per_chosen_action(client, desk):
    page = page_of(client, desk["leader"], awaiting_signature(desk))
    folds = re.findall(r"<details.*?</details>", page, flags=re.S)
    outside = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert 'name="reason"' not in outside  # no reason box lies open beside "Ký duyệt"
    summaries = [re.search(r"<summary>([^<]+)</summary>", f).group(1) for f in folds]
    assert summaries == [
        "Trả lại để xử lý lại…",
        "Xin lỗi và hẹn lại ngày trả…",
        "Từ chối giải quyết…",
        "Dừng xử lý…",
    ]
    assert all(f.count('name="reason"') == 1 for f in folds)


def test_the_step_table_names_who_completed_each_step(client, desk):
    page = page_of(client, desk["leader"], awaiting_signature(desk))
    table = page[page.index("Người hoàn thành") :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    finished_by = {
        re.search(r">(\d\. [^<]+)</td>", row).group(1): re.findall(
            r'data-label="Người hoàn thành">([^<]*)</td>', row
        )[0]
        for row in rows
        if "data-label" in row
    }
    assert finished_by["1. Tiếp nhận hồ sơ"] == str(desk["head"])  # closed by the assignment
    assert finished_by["2. Thẩm định, xác minh"] == str(desk["specialist"])
    assert finished_by["3. Lãnh đạo Sở ký"] == "—"


def test_every_action_of_the_table_has_its_own_message():
    assert set(DONE_TEXT) == {t.action for t in TRANSITIONS}
    assert len(set(DONE_TEXT.values())) == len(DONE_TEXT)
    assert all("{code}" in text and "cập nhật" not in text for text in DONE_TEXT.values())


def test_after_submitting_and_approving_the_page_says_so(client, desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    dossier.refresh_from_db()
    client.force_login(desk["specialist"])
    url = reverse("backoffice:dossier_action", args=[dossier.pk, "submit_for_signature"])
    with time_machine.travel(at("2024-05-08T08:00"), tick=False):
        page = client.post(url, {"revision": dossier.revision, "note": OPINION}, follow=True)
    assert f"Đã trình ký hồ sơ {dossier.code}." in page.content.decode()
    dossier.refresh_from_db()
    client.force_login(desk["leader"])
    url = reverse("backoffice:dossier_action", args=[dossier.pk, "approve"])
    with time_machine.travel(at("2024-05-08T09:00"), tick=False):
        page = client.post(url, {"revision": dossier.revision}, follow=True)
    text = page.content.decode()
    assert f"Đã ký duyệt hồ sơ {dossier.code}." in text and "Đã cập nhật hồ sơ" not in text
