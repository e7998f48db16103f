"""The documents part of the demo (`load_demo`, called by `motcua demo`), idempotent.

* A test CA and the department's signing certificate where the settings expect them (under the
  var folder by default), created only when missing;
* the components of a few received demo dossiers "scanned" at the desk (a page image naming the
  paper) and confirmed against the original, so the digitisation page and rates have data; where
  the same person has two dossiers, the second reuses the first's scan;
* one signed electronic result for a finished or returned dossier, to verify at /xac-thuc/;
* the result templates of a few procedures (data/result_templates.json) and a signer for the
  department's leader and for the legal-aid centre's director, each with the demo's file key
  (a token or a remote signing service replaces it in production, ADR 0032).
"""

import io
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.permissions import can_see_dossier
from motcua.dossiers.workflow import Status

from .models import ComponentFile, ComponentSource, IssuedDocument
from .results import result_issue
from .services import component_file_attach, component_reuse, stored_file_put
from .testca import create_test_ca

DIGITISED_DOSSIERS = 6
FONT = "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf"


DEMO_SIGNERS = (
    # username, title, authority, organisation, parent organisation
    ("lanhdao.so", "Phó Giám đốc", "KT. Giám đốc", "Sở Tư pháp tỉnh Hà Tĩnh", "UBND tỉnh Hà Tĩnh"),
    ("gd.tgpl", "Giám đốc", "", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh",
     "Sở Tư pháp tỉnh Hà Tĩnh"),
)  # fmt: skip


def load_demo(stdout=None) -> None:
    created_ca = _test_ca()
    scanned, reused = _digitise()
    issued = _one_result()
    templates = _templates()
    _signers()
    if stdout is not None:
        stdout.write(
            "Tài liệu: "
            + ("đã tạo CA và chứng thư ký số thử nghiệm; " if created_ca else "")
            + f"{scanned} thành phần mới được số hoá, {reused} tái sử dụng; "
            + (
                f"kết quả điện tử {issued.number} (xác thực tại /xac-thuc/{issued.token}/).\n"
                if issued
                else "chưa có hồ sơ đủ điều kiện phát hành kết quả điện tử.\n"
            )
            + f"Mẫu kết quả: {templates} mẫu mới; người ký số demo (khoá tệp): "
            + ", ".join(name for name, *_ in DEMO_SIGNERS)
            + ".\n"
        )


def _test_ca() -> bool:
    signer = Path(settings.MOTCUA_SIGNING_PKCS12)
    if signer.exists():
        return False
    files = create_test_ca(signer.parent, passphrase=settings.MOTCUA_SIGNING_PASSPHRASE)
    trust = Path(settings.MOTCUA_TRUST_ROOTS)
    trust.mkdir(parents=True, exist_ok=True)
    if not (trust / "motcua-test-ca.pem").exists():
        (trust / "motcua-test-ca.pem").write_bytes(files.ca_pem.read_bytes())
    return True


def _page_image(title: str, holder: str) -> bytes:
    """A stand-in for a scanned paper: an A5-ish grey page naming it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 246)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 44)
    draw.text((100, 200), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=20)
    draw.text((100, 400), title[:48], font=font, fill=20)
    draw.text((100, 500), f"Họ và tên: {holder}", font=font, fill=20)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _digitise() -> tuple[int, int]:
    has_files = ComponentFile.objects.filter(component__dossier=OuterRef("pk"))
    # Only dossiers with papers to scan: one without (a procedure whose papers are "chưa có dữ liệu
    # chính thức") never gets a file, so counting it made every later load scan one more dossier.
    has_papers = DossierComponent.objects.filter(dossier=OuterRef("pk"))
    dossiers = (
        Dossier.objects.filter(Exists(has_papers), received_by__isnull=False, code__isnull=False)
        .exclude(applicant__citizen_id="")
        .annotate(has_files=Exists(has_files))
        .select_related("applicant", "received_by")
        .order_by("received_at", "pk")
    )
    if dossiers.filter(has_files=True).count() >= DIGITISED_DOSSIERS:
        return 0, 0
    scanned = reused = 0
    for dossier in dossiers.filter(has_files=False)[:DIGITISED_DOSSIERS]:
        officer = dossier.received_by
        for component in dossier.components.all():
            earlier = (
                ComponentFile.objects.filter(
                    component__dossier__applicant=dossier.applicant, component__name=component.name
                )
                .exclude(component__dossier=dossier)
                .first()
            )
            if earlier is not None:
                component_reuse(officer, component, earlier)
                reused += 1
                continue
            stored = stored_file_put(_page_image(component.name, dossier.applicant_name))
            component_file_attach(
                officer, component, stored, source=ComponentSource.DESK_SCAN, confirmed=True
            )
            scanned += 1
    return scanned, reused


def _one_result() -> IssuedDocument | None:
    existing = IssuedDocument.objects.first()
    if existing is not None:
        return existing
    candidates = Dossier.objects.filter(
        status__in=[Status.FINISHED, Status.RETURNED], code__isnull=False
    ).select_related("procedure_version", "applicant")
    leaders = list(User.objects.filter(role=Role.DEPARTMENT_LEADER, is_active=True))
    for dossier in candidates.order_by("-finished_at", "-pk")[:50]:
        for leader in leaders:
            if can_see_dossier(leader, dossier):
                return result_issue(leader, dossier)
    return None


def _templates() -> int:
    import json

    from .templates_import import result_templates_import

    path = Path(__file__).parent / "data" / "result_templates.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    from motcua.catalog.selectors import version_in_force

    # Only the procedures this installation's catalogue has (the tests load a smaller one).
    document["templates"] = [t for t in document["templates"] if version_in_force(t["procedure"])]
    return result_templates_import(document)


def _signer_key(username: str, name: str, title: str, organisation: str) -> str:
    """A PKCS#12 for the person from the demo's test CA (their name, title and organisation in
    the certificate), or "" — the department's file — when the CA's key is not at hand."""
    from .testca import CaFiles, issue_test_certificate

    folder = Path(settings.MOTCUA_SIGNING_PKCS12).parent
    ca_key = folder / "ca-key.pem"
    if not ca_key.exists():
        return ""
    files = CaFiles(
        folder / "ca.pem", folder / "signer.p12", settings.MOTCUA_SIGNING_PASSPHRASE, ca_key
    )
    issued = issue_test_certificate(files, folder / username, name, organisation, title=title)
    return str(issued.p12)


def _signers() -> None:
    """The demo's signers, each with a file key of their own: idempotent by name."""
    from .models import Signer, SignerBackend

    for username, title, authority, organisation, parent in DEMO_SIGNERS:
        user = User.objects.filter(username=username).first()
        if user is None or Signer.objects.filter(name=username).exists():
            continue
        full_name = user.full_name or username
        Signer.objects.create(
            pkcs12_path=_signer_key(username, full_name, title, organisation),
            name=username,
            user=user,
            full_name=full_name,
            title=title,
            authority=authority,
            organisation=organisation,
            parent_organisation=parent,
            backend=SignerBackend.PKCS12,
        )
