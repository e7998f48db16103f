"""`motcua jobs run archives-fixity`: re-hash every filed file of the archive against the SHA-256
recorded at filing. A changed or missing file makes the run fail (so someone looks), named in its
summary; the details are kept in FixityCheck."""

from motcua.core.jobs import job_run
from motcua.core.models import JobRun

from .services import archives_fixity_check

JOB_NAME = "archives-fixity"


def archives_fixity_run() -> JobRun:
    with job_run(JOB_NAME, _summary, {"checked": 0, "changed": 0, "missing": 0}) as book:
        check = archives_fixity_check(None)
        book.counts.update(checked=check.checked, changed=check.changed, missing=check.missing)
        for problem in check.problems:
            state = "bị thay đổi" if problem["found"] else "không đọc được"
            book.errors.append(
                f"{problem['work_file']} — “{problem['title']}” ({problem['file']}) {state}"
            )
    return book.run


def _summary(counts: dict) -> str:
    return (
        f"Đã kiểm tra {counts['checked']} tệp lưu trữ: {counts['changed']} tệp bị thay đổi, "
        f"{counts['missing']} tệp không đọc được."
    )
