"""A stand-in for the national portal's integration adapter (Cổng DVCQG), speaking the protocol our
client speaks (client.py; reference §1–§3, §6, §7), for tests and for trying the sync on one machine:
`motcua dvcqg stand-in --port 8090`. Standard library only (no Django), one thread per request.

What it does: a login that hands out session tokens which expire (`token_seconds`); the services
of the reference, each on its endpoint (sharing or integration); what the writes send is validated
the way the reference describes the fields (dates yyyyMMddHHmmss, TrangThaiHoSo 1–10, required
fields, strings everywhere) and kept in memory — and in a JSON file with `store_path`;
LayDanhSachTTHC and LayThuTuc answer from data/procedures.csv (real national codes, see
data/README.md). Faults for tests are attributes of `faults` (class Faults), changed at any time.

What is ours, not the portal's (the sources do not say): the error_code of a refusal (-1, REFUSED),
how an expired session is answered (HTTP 401 by default, or an error_code), that a progress record
needs its dossier synced first, and the result list {MaHoSo} in a write's reply. docs/dvcqg.md.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

CATALOGUE = Path(__file__).with_name("data") / "procedures.csv"
# A few deliberate changes to the national records, so that a pull against the demo catalogue
# shows differences of every kind (`motcua dvcqg stand-in` loads it unless --no-drift). Not real.
DRIFT = Path(__file__).with_name("data") / "catalogue_drift.json"
DEFAULT_PATHS = {"auth": "/auth", "integration": "/integration", "share": "/share"}
REFUSED = -1
OK = {"error_code": 0, "message": "Thành công"}
BODY_MAX = 20 * 1024 * 1024
SHARE = frozenset({"LayDanhSachTTHC"})
DATE_FORMAT = "%Y%m%d%H%M%S"
ANSWER_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")

HOSO_REQUIRED = (
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "LoaiDoiTuong",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
    "DonViXuLy",
)
HOSO_LISTS = (
    "TaiLieuNop",
    "DanhSachGiayToKetQua",
    "DanhSachLePhi",
    "DanhSachTepDinhKemKhac",
    "DanhSachHoSoBoSung",
    "DinhDanhCHS",
    "DSKetNoiCSDL",
)
HOSO_CHOICES = {
    "TrangThaiHoSo": {str(n) for n in range(1, 11)},
    "KenhThucHien": {"", "1", "2", "3"},
    "LoaiDoiTuong": {"1", "2", "3", "4"},
    "HinhThuc": {"", "0", "1"},
}
FLAGS = ("HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen")
FILE_CHOICES = {
    "IsDeleted": {"True", "False"},
    "DuocSoHoa": {"", "0", "1"},
    "DuocTaiSuDung": {"", "0", "1", "2"},
}
QUESTIONS = [
    {
        "HOIDAPID": "DVCQG-HD-0001",
        "MALINHVUC": "",
        "NOIDUNG": "Thủ tục cấp Phiếu lý lịch tư pháp cần mang theo giấy tờ gì?",
        "MADONVI": "",
        "NOIDUNGTRALOI": "",
        "TRALOIID": "",
        "HOVATEN": "Người hỏi thử nghiệm",
        "THUDIENTU": "nguoihoi@example.vn",
        "MATTHCDP": "",
        "TRANGTHAI": "1",
        "DIACHI": "",
        "SODIENTHOAI": "",
    }
]


@dataclass
class Faults:
    """What the stand-in does wrong, on purpose. Faults other than `refuse_login` apply to the
    services, not to the login."""

    refuse_login: bool = False
    # How a dead session is answered: "http" → HTTP 401; "code" → HTTP 200, error_code below.
    session_error: str = "http"
    session_error_code: int = 401
    expire_after_calls: int | None = None  # a session dies after this many accepted calls
    refuse_codes: dict[str, tuple[int, str]] = field(default_factory=dict)  # MaHoSo → refusal
    delay_seconds: float = 0.0  # wait before answering at all
    trickle_seconds: float = 0.0  # answer, one byte at a time, over this long
    malformed: bool = False  # a proxy's HTML page instead of JSON
    oversized_bytes: int = 0  # a JSON reply this large, without Content-Length
    foreign_code: str = ""  # the reply names this dossier instead of the ones sent
    http_status: int | None = None  # answer with this status (e.g. 500, 503)
    drop: bool = False  # close the connection without answering
    reply_override: dict | None = None  # answer this JSON object, whatever was asked
    # service name → (error_code, message): that service is refused (the portal's own error)
    refuse_services: dict[str, tuple[int, str]] = field(default_factory=dict)
    # MATTHC → (error_code, message): LayThuTuc of that procedure is refused
    refuse_procedures: dict[str, tuple[int, str]] = field(default_factory=dict)
    # rows added to LayDanhSachTTHC as they are (e.g. one without MATTHC)
    extra_procedure_rows: list[dict] = field(default_factory=list)


def national_time_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{14}", value):
        return False
    try:
        datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        return False
    return True


# --- validation (what the reference says of each field) --------------------------------------------


def _scalar_problems(where: str, record: dict) -> list[str]:
    """Every value a string (reference §2.2: "all values sent as strings"), every Ngay… a date."""
    problems = []
    for key, value in record.items():
        if isinstance(value, list):
            continue
        if not isinstance(value, str):
            problems.append(f"{where}: {key} phải là chuỗi")
        elif key.startswith("Ngay") and value and not national_time_valid(value):
            problems.append(f"{where}: {key} “{value}” không đúng định dạng yyyyMMddHHmmss")
    return problems


def _choice_problems(where: str, record: dict, choices: dict[str, set[str]]) -> list[str]:
    return [
        f"{where}: {key} “{record.get(key)}” không hợp lệ"
        for key, allowed in choices.items()
        if key in record and record.get(key) not in allowed
    ]


def _url_problem(where: str, key: str, value: Any) -> list[str]:
    if value and not re.match(r"^https?://", str(value)):
        return [f"{where}: {key} phải là đường dẫn http(s)"]
    return []


def _item_problems(where: str, name: str, item: Any) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: mỗi phần tử {name} phải là một đối tượng"]
    problems = _scalar_problems(f"{where} {name}", item)
    if name == "TaiLieuNop":
        problems += _choice_problems(f"{where} {name}", item, FILE_CHOICES)
        problems += _url_problem(where, "DuongDanTaiTepTin", item.get("DuongDanTaiTepTin"))
    elif name == "DanhSachGiayToKetQua":
        problems += _url_problem(where, "DuongDanTepTinKetQua", item.get("DuongDanTepTinKetQua"))
    elif name == "DanhSachLePhi" and not re.fullmatch(r"\d+", str(item.get("Gia", ""))):
        problems.append(f"{where}: DanhSachLePhi.Gia phải là số tiền (đồng)")
    elif name == "DinhDanhCHS":
        digits = {"1": 12, "2": 9}.get(str(item.get("LoaiDinhDanh")))
        if digits is None or not re.fullmatch(rf"\d{{{digits}}}", str(item.get("SoDinhDanh", ""))):
            problems.append(f"{where}: DinhDanhCHS không hợp lệ")
    return problems


def hoso_problems(record: Any) -> list[str]:
    """What is wrong with one HoSo record of DongBoHoSoMC ([] when nothing)."""
    if not isinstance(record, dict):
        return ["Mỗi hồ sơ phải là một đối tượng JSON"]
    where = f"Hồ sơ {record.get('MaHoSo') or '(không mã)'}"
    problems = [f"{where}: thiếu {k}" for k in HOSO_REQUIRED if not record.get(k)]
    problems += _scalar_problems(where, record)
    problems += _choice_problems(where, record, HOSO_CHOICES)
    problems += [f"{where}: {k} quá 2 ký tự" for k in FLAGS if len(str(record.get(k, ""))) > 2]
    if len(str(record.get("TrichYeuHoSo", ""))) > 1000:
        problems.append(f"{where}: TrichYeuHoSo quá 1000 ký tự")
    for name in HOSO_LISTS:
        items = record.get(name, [])
        if not isinstance(items, list):
            problems.append(f"{where}: {name} phải là một danh sách")
            continue
        for item in items:
            problems += _item_problems(where, name, item)
    return problems


def tien_do_problems(record: Any) -> list[str]:
    """What is wrong with one progress record of CapNhatTienDoHoSoMC."""
    if not isinstance(record, dict):
        return ["Mỗi bản ghi tiến độ phải là một đối tượng JSON"]
    where = f"Tiến độ {record.get('MaHoSo') or '(không mã)'}"
    problems = [
        f"{where}: thiếu {k}" for k in ("MaHoSo", "TrangThai", "ThoiDiemXuLy") if not record.get(k)
    ]
    problems += _scalar_problems(where, record)
    problems += _choice_problems(where, record, {"TrangThai": HOSO_CHOICES["TrangThaiHoSo"]})
    if record.get("ThoiDiemXuLy") and not national_time_valid(str(record["ThoiDiemXuLy"])):
        problems.append(f"{where}: ThoiDiemXuLy không đúng định dạng yyyyMMddHHmmss")
    return problems


def danh_gia_problems(item: Any) -> list[str]:
    """One monthly rating item of DongBoDanhGia (reference §7)."""
    if not isinstance(item, dict):
        return ["Mỗi mục đánh giá phải là một đối tượng JSON"]
    problems = []
    if not re.fullmatch(r"\d{1,2}-\d{4}", str(item.get("NgayTongHop", ""))):
        problems.append("NgayTongHop phải có dạng M-yyyy")
    if not isinstance(item.get("TongSoNguoiDanhGia"), int):
        problems.append("TongSoNguoiDanhGia phải là số nguyên")
    percents = [k for k in item if k.startswith("PhanTramDanhGia")]
    problems += [
        f"{k} phải có dạng 85%" for k in percents if not re.fullmatch(r"\d{1,3}%", str(item[k]))
    ]
    return problems


def hoi_dap_problems(item: Any, *, answer: bool) -> list[str]:
    """One pushed question (DongBoHoiDap) or answer (DongBoKetQuaHoiDapGuiTuDVCQG, reference §6)."""
    if not isinstance(item, dict):
        return ["Mỗi mục hỏi đáp phải là một đối tượng JSON"]
    keys = ("HOIDAPID", "NOIDUNGTRALOI", "NGAYTRALOI") if answer else ("HOIDAPID", "NOIDUNG")
    problems = [f"thiếu {k}" for k in keys if not item.get(k)]
    if answer and item.get("NGAYTRALOI") and not ANSWER_DATE.match(str(item["NGAYTRALOI"])):
        problems.append("NGAYTRALOI phải có dạng dd/MM/yyyy")
    return problems


# --- the catalogue -----------------------------------------------------------------------------------


def catalogue_load(path: Path = CATALOGUE) -> dict[str, dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["MATTHC"]: row for row in csv.DictReader(handle)}


def thu_tuc_record(row: dict) -> dict:
    """A LayThuTuc record (reference §1.5) from a catalogue row; codes the source lacks stay ""."""
    days = row["THOIGIAN_NGAY_LAM_VIEC"]
    free = row["PHILEPHI_MOTA"].strip().lower() == "miễn phí"
    fee = {
        "MAPHILEPHI": "",
        "SOTIEN": 0 if free else None,
        "DONVI": "Đồng",
        "MOTA": row["PHILEPHI_MOTA"],
    }
    time_item = {
        "THOIGIANGIAIQUYET": int(days) if days.isdigit() else 0,
        "DONVITINH": "Ngày làm việc" if days else "",
        "MOTA": row["THOIGIAN_MOTA"],
        "PHILEPHI": [fee],
    }
    return {
        "MATTHC": row["MATTHC"],
        "TENTTHC": row["TENTTHC"],
        "MACOQUANCONGBO": "",
        "TRANGTHAI": 1,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "", "TENLINHVUC": row["TENLINHVUC"]}],
        "CACHTHUCTHUCHIEN": [
            {"KENH": int(k), "THOIGIAN": [time_item]} for k in row["KENH"].split("|") if k
        ],
        "KETQUATHUCHIEN": [],
        "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": row["COQUANTHUCHIEN"]}],
        "THANHPHANHOSO": [],
    }


def drift_load(path: Path = DRIFT) -> dict[str, dict]:
    """The deliberate changes of catalogue_drift.json: MATTHC → LayThuTuc keys replaced."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: dict(keys) for code, keys in data["procedures"].items()}


# --- the server ---------------------------------------------------------------------------------------


class Refusal(Exception):
    def __init__(self, message: str, code: int = REFUSED):
        super().__init__(message)
        self.message, self.code = message, code


class SessionDead(Exception):
    pass


class StandInDvcqg:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "motcua",
        password: str = "motcua-standin",
        madonvi: str = "",
        dstcode: str = "",
        token_seconds: float = 600,
        paths: dict[str, str] | None = None,
        store_path: str | Path | None = None,
        catalogue_path: Path = CATALOGUE,
        overrides: dict[str, dict] | None = None,
    ):
        self.username, self.password = username, password
        self.madonvi, self.dstcode = madonvi, dstcode
        self.token_seconds = token_seconds
        self.paths = dict(paths or DEFAULT_PATHS)
        self.store_path = Path(store_path) if store_path else None
        self.catalogue = catalogue_load(catalogue_path)
        # MATTHC → keys of the LayThuTuc record replaced (drift_load, or a test's own)
        self.overrides: dict[str, dict] = dict(overrides or {})
        self.faults = Faults()
        self.lock = threading.Lock()
        self.sessions: dict[str, list[float]] = {}  # token → [expires, accepted calls]
        self.logins = 0
        self.calls: list[tuple[str, bool]] = []  # (service, accepted), in order
        self.bodies: list[dict] = []  # every service body received (tests read what was sent)
        self.dossiers: dict[str, dict] = {}
        self.progress: dict[str, list[dict]] = {}
        self.ratings: list[dict] = []
        self.questions: list[dict] = [dict(q) for q in QUESTIONS]
        self.pushed_questions: list[dict] = []
        self.answers: list[dict] = []
        self._load()
        self.httpd = _Server((host, port), self)
        self.host, self.port = str(self.httpd.server_address[0]), int(self.httpd.server_address[1])
        self.url = f"http://{self.host}:{self.port}"

    # Running ---------------------------------------------------------------------------------------

    def start(self) -> StandInDvcqg:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def expire_sessions(self) -> None:
        """Every session handed out so far is dead from now on."""
        with self.lock:
            for entry in self.sessions.values():
                entry[0] = 0.0

    # Requests --------------------------------------------------------------------------------------

    def login(self, headers, body: Any) -> dict:
        if self.dstcode and headers.get("dstcode") != self.dstcode:
            return {"error_code": REFUSED, "message": "dstcode không đúng"}
        good = isinstance(body, dict) and (body.get("username"), body.get("password")) == (
            self.username,
            self.password,
        )
        if self.faults.refuse_login or not good:
            return {"error_code": REFUSED, "message": "Sai tên đăng nhập hoặc mật khẩu"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = [time.time() + self.token_seconds, 0]
            self.logins += 1
        return {**OK, "session": token}

    def service(self, endpoint: str, headers, body: Any) -> dict:
        """The answer to one service call (a Refusal becomes error_code -1; SessionDead is answered
        by the handler as the faults say)."""
        if not isinstance(body, dict):
            raise Refusal("Thân yêu cầu phải là một đối tượng JSON")
        self._session_check(body.get("session"))
        if self.dstcode and headers.get("dstcode") != self.dstcode:
            raise Refusal("dstcode không đúng")
        if self.madonvi and body.get("madonvi") != self.madonvi:
            raise Refusal("madonvi không đúng")
        name = str(body.get("service", ""))
        handler = SERVICES.get(name)
        if handler is None:
            raise Refusal(f"Không có dịch vụ {name}")
        if (endpoint == "share") != (name in SHARE):
            raise Refusal(f"Dịch vụ {name} không thuộc đường dẫn này")
        if name in self.faults.refuse_services:
            error_code, message = self.faults.refuse_services[name]
            raise Refusal(message, error_code)
        answer = handler(self, body)
        self._session_count(body["session"])
        return answer

    def _session_check(self, token: Any) -> None:
        with self.lock:
            entry = self.sessions.get(str(token))
            if entry is None or entry[0] < time.time():
                raise SessionDead()

    def _session_count(self, token: str) -> None:
        limit = self.faults.expire_after_calls
        with self.lock:
            entry = self.sessions[token]
            entry[1] += 1
            if limit is not None and entry[1] >= limit:
                entry[0] = 0.0

    # Storage ---------------------------------------------------------------------------------------

    def _load(self) -> None:
        if self.store_path and self.store_path.exists():
            data = json.loads(self.store_path.read_text(encoding="utf-8"))
            self.dossiers = data.get("dossiers", {})
            self.progress = data.get("progress", {})
            self.ratings = data.get("ratings", [])
            self.pushed_questions = data.get("pushed_questions", [])
            self.answers = data.get("answers", [])

    def save(self) -> None:
        if not self.store_path:
            return
        data = {
            "dossiers": self.dossiers,
            "progress": self.progress,
            "ratings": self.ratings,
            "pushed_questions": self.pushed_questions,
            "answers": self.answers,
        }
        temporary = self.store_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.store_path)


# --- the services --------------------------------------------------------------------------------------


def _data_list(body: dict) -> list:
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise Refusal("data phải là một danh sách không rỗng")
    return data


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise Refusal("; ".join(problems[:10]))


def _faulted_codes(server: StandInDvcqg, records: list) -> None:
    for record in records:
        code = str(record.get("MaHoSo", "")) if isinstance(record, dict) else ""
        if code in server.faults.refuse_codes:
            error_code, message = server.faults.refuse_codes[code]
            raise Refusal(message, error_code)


def _written(server: StandInDvcqg, codes: list[str]) -> dict:
    named = [server.faults.foreign_code] if server.faults.foreign_code else codes
    return {**OK, "result": [{"MaHoSo": code} for code in named]}


def dong_bo_ho_so(server: StandInDvcqg, body: dict) -> dict:
    records = _data_list(body)
    if body.get("isUpdating") not in ("True", "False"):
        raise Refusal('isUpdating phải là "True" hoặc "False"')
    _refuse_if([p for record in records for p in hoso_problems(record)])
    _faulted_codes(server, records)
    with server.lock:
        for record in records:
            server.dossiers[record["MaHoSo"]] = record
        server.save()
    return _written(server, [r["MaHoSo"] for r in records])


def cap_nhat_tien_do(server: StandInDvcqg, body: dict) -> dict:
    records = _data_list(body)
    _refuse_if([p for record in records for p in tien_do_problems(record)])
    unknown = sorted({r["MaHoSo"] for r in records} - set(server.dossiers))
    if unknown:  # our assumption: the dossier goes first (OpenCPS sends DongBoHoSoMC before)
        raise Refusal(f"Hồ sơ chưa được đồng bộ: {', '.join(unknown[:3])}")
    _faulted_codes(server, records)
    with server.lock:
        for record in records:
            server.progress.setdefault(record["MaHoSo"], []).append(record)
        server.save()
    return _written(server, sorted({r["MaHoSo"] for r in records}))


def tra_cuu_ho_so(server: StandInDvcqg, body: dict) -> dict:
    code = str(body.get("mahoso", ""))
    record = server.dossiers.get(code)
    found = [{"MaHoSo": code, "TrangThaiHoSo": record["TrangThaiHoSo"]}] if record else []
    return {**OK, "result": found}


def lay_danh_sach_tthc(server: StandInDvcqg, body: dict) -> dict:
    rows = [
        {"MATTHC": code, "TENTTHC": server.overrides.get(code, {}).get("TENTTHC", r["TENTTHC"])}
        for code, r in server.catalogue.items()
    ]
    return {**OK, "result": rows + list(server.faults.extra_procedure_rows)}


def lay_thu_tuc(server: StandInDvcqg, body: dict) -> dict:
    code = str(body.get("maTTHC", ""))
    if code in server.faults.refuse_procedures:
        error_code, message = server.faults.refuse_procedures[code]
        raise Refusal(message, error_code)
    row = server.catalogue.get(code)
    if row is None:
        raise Refusal(f"Không tìm thấy thủ tục {body.get('maTTHC', '')}")
    return {**OK, "result": [thu_tuc_record(row) | server.overrides.get(code, {})]}


def dong_bo_danh_gia(server: StandInDvcqg, body: dict) -> dict:
    items = _data_list(body)
    _refuse_if([p for item in items for p in danh_gia_problems(item)])
    with server.lock:
        server.ratings.extend(items)
        server.save()
    return {**OK, "result": []}


def dong_bo_hoi_dap(server: StandInDvcqg, body: dict) -> dict:
    items = _data_list(body)
    _refuse_if([p for item in items for p in hoi_dap_problems(item, answer=False)])
    with server.lock:
        server.pushed_questions.extend(items)
        server.save()
    return {**OK, "result": []}


def dong_bo_ket_qua_hoi_dap(server: StandInDvcqg, body: dict) -> dict:
    items = _data_list(body)
    _refuse_if([p for item in items for p in hoi_dap_problems(item, answer=True)])
    with server.lock:
        server.answers.extend(items)
        server.save()
    return {**OK, "result": []}


def lay_hoi_dap_gui_tu_dvcqg(server: StandInDvcqg, body: dict) -> dict:
    return {**OK, "result": server.questions}


def lay_hoi_dap_bo_co_quan(server: StandInDvcqg, body: dict) -> dict:
    return {**OK, "result": server.pushed_questions}


def lay_tra_loi(server: StandInDvcqg, body: dict) -> dict:
    question = str(body.get("cauhoiid", ""))
    answers = [
        {"TRALOIID": f"{question}-{i}", "NOIDUNGTRALOI": a["NOIDUNGTRALOI"]}
        for i, a in enumerate(server.answers, start=1)
        if str(a.get("HOIDAPID")) == question
    ]
    return {**OK, "result": answers}


SERVICES = {
    "DongBoHoSoMC": dong_bo_ho_so,
    "CapNhatTienDoHoSoMC": cap_nhat_tien_do,
    "TraCuuHoSo": tra_cuu_ho_so,
    "LayDanhSachTTHC": lay_danh_sach_tthc,
    "LayThuTuc": lay_thu_tuc,
    "DongBoDanhGia": dong_bo_danh_gia,
    "DongBoHoiDap": dong_bo_hoi_dap,
    "DongBoKetQuaHoiDapGuiTuDVCQG": dong_bo_ket_qua_hoi_dap,
    "LayDanhSachHoiDapGuiTuDVCQG": lay_hoi_dap_gui_tu_dvcqg,
    "LayDanhSachHoiDapBoCoQuan": lay_hoi_dap_bo_co_quan,
    "LayNoiDungTraLoiTheoCauHoi": lay_tra_loi,
}


# --- HTTP ----------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], standin: StandInDvcqg):
        self.standin = standin
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    @property
    def portal(self) -> StandInDvcqg:
        return cast(_Server, self.server).standin

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > BODY_MAX:
            return self._json(413, {"error_code": REFUSED, "message": "Yêu cầu quá lớn"})
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._json(
                400, {"error_code": REFUSED, "message": "Thân yêu cầu không phải JSON"}
            )
        endpoint = {path: name for name, path in self.portal.paths.items()}.get(self.path)
        if endpoint == "auth":
            return self._json(200, self.portal.login(self.headers, body))
        if endpoint is None:
            return self._json(404, {"error_code": REFUSED, "message": "Không có đường dẫn này"})
        self._service(endpoint, body)

    def _service(self, endpoint: str, body: Any) -> None:
        faults = self.portal.faults
        if faults.drop:
            self.close_connection = True
            return
        time.sleep(faults.delay_seconds)
        if faults.http_status:
            return self._json(faults.http_status, {"error_code": REFUSED, "message": "Lỗi máy chủ"})
        if faults.malformed:
            return self._raw(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        if faults.oversized_bytes:
            return self._oversized(faults.oversized_bytes)
        if faults.reply_override is not None:
            return self._json(200, faults.reply_override)
        self._json(*self._answer(endpoint, body))

    def _answer(self, endpoint: str, body: Any) -> tuple[int, dict]:
        name = body.get("service", "") if isinstance(body, dict) else ""
        try:
            answer = self.portal.service(endpoint, self.headers, body)
        except SessionDead:
            self.portal.calls.append((str(name), False))
            return self._session_dead()
        except Refusal as refusal:
            self.portal.calls.append((str(name), False))
            return 200, {"error_code": refusal.code, "message": refusal.message}
        self.portal.calls.append((str(name), True))
        self.portal.bodies.append(body)
        return 200, answer

    def _session_dead(self) -> tuple[int, dict]:
        message = "Phiên làm việc không hợp lệ hoặc đã hết hạn"
        if self.portal.faults.session_error == "code":
            return 200, {"error_code": self.portal.faults.session_error_code, "message": message}
        return 401, {"error_code": REFUSED, "message": message}

    def _json(self, status: int, answer: dict) -> None:
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        if self.portal.faults.trickle_seconds and status == 200:
            return self._trickle(data, self.portal.faults.trickle_seconds)
        self._raw(status, data, "application/json; charset=utf-8")

    def _raw(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up waiting (a slow-reply fault)
            self.close_connection = True

    def _trickle(self, data: bytes, seconds: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        pause = seconds / max(len(data), 1)
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(pause)
        except OSError:  # the client gave up: that is the point
            pass

    def _oversized(self, size: int) -> None:
        """A JSON reply of `size` bytes, streamed without Content-Length (HTTP/1.0: the
        body ends when the connection closes), as a broken proxy or endless answer would."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        head, tail = b'{"error_code":0,"message":"', b'"}'
        try:
            self.wfile.write(head)
            left = max(size - len(head) - len(tail), 0)
            while left > 0:
                chunk = min(left, 64 * 1024)
                self.wfile.write(b"x" * chunk)
                left -= chunk
            self.wfile.write(tail)
        except OSError:
            pass

    def log_message(self, *args):  # quiet: the command prints its own lines
        pass
