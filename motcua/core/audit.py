"""The log of personal-data reads. Views that show a person's ID number, address or phone call
`personal_data_read` once per response; the log can be read but never changed through the app."""

from .models import PersonalDataRead


def personal_data_read(request, subject: str, purpose: str) -> None:
    PersonalDataRead.objects.create(
        actor=request.user, subject=subject, purpose=purpose, path=request.get_full_path()[:255]
    )
