"""The national status codes (TrangThaiHoSo 1–10) are defined once, in workflow.py; every page, the
API, the messages, the diagram and the import read them from there."""

from pathlib import Path

from motcua.dossiers.workflow import (
    NATIONAL_ENDED_CODES,
    NATIONAL_OPEN_CODES,
    NATIONAL_STATUS,
    NATIONAL_STATUS_LABELS,
    NATIONAL_TO_STATUS,
    Status,
    national_status,
    national_status_label,
)

MOTCUA = Path(__file__).resolve().parents[2] / "motcua"


def test_each_code_reads_back_as_a_status_with_that_code():
    assert set(NATIONAL_TO_STATUS) == set(NATIONAL_STATUS_LABELS) == set(range(1, 11))
    for code, status in NATIONAL_TO_STATUS.items():
        assert NATIONAL_STATUS[status] == code


def test_ended_and_open_codes_follow_the_status_sets():
    assert {3, 7, 8, 9, 10} == NATIONAL_ENDED_CODES
    assert {2, 4, 5, 6} == NATIONAL_OPEN_CODES


def test_the_code_and_words_of_a_status():
    assert national_status("awaiting_signature") == 4
    assert national_status_label(Status.RETURNED) == "Đã trả kết quả"


def test_no_module_keeps_its_own_table_of_national_codes():
    elsewhere = {
        str(path.relative_to(MOTCUA))
        for path in MOTCUA.rglob("*.py")
        if path.name != "workflow.py" and "/migrations/" not in str(path)
        for text in [path.read_text(encoding="utf-8")]
        if "NATIONAL_STATUS" in text or "Status.RECEIVED,\n    3:" in text or "1: Status." in text
    }
    assert elsewhere == set()
