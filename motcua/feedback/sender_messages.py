"""What the sender of a feedback item (PAKN) is told, and when: the answer, a refusal, a request
for more information, the publication on Hỏi – Đáp. Each goes to the contact they gave (an SMS to a
phone, an e-mail to an address) through motcua.notifications, queued in the service's transaction
and sent after it commits — an action that rolls back tells nobody anything."""

from django.conf import settings
from django.urls import reverse

from motcua.notifications.models import Channel
from motcua.notifications.services import notification_queue
from motcua.notifications.sms import sms_text

# Two GSM-7 segments at most; the lookup link always stays whole.
SMS_LIMIT = 306

SHORT_TEXT = {
    "answer": "Phản ánh {code} của ông/bà đã được trả lời.",
    "refuse": "Phản ánh {code} không được tiếp nhận. Lý do: {note}",
    "request_supplement": "Phản ánh {code} cần bổ sung thông tin: {note}",
    "publish": "Câu trả lời phản ánh {code} đã được công khai trên trang Hỏi – Đáp.",
}
LOOKUP_HINT = "Tra cứu (nhập 4 số cuối điện thoại):"
EMAIL_LOOKUP_HINT = (
    "Tra cứu bằng số tiếp nhận và địa chỉ thư điện tử này tại: {url}\n\n"
    "Bộ phận Một cửa — thư gửi tự động, vui lòng không trả lời thư này."
)


def lookup_url(code: str) -> str:
    """The public lookup page with the receipt number filled in (the sender adds their digits)."""
    base = getattr(settings, "MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{reverse('feedback_public:lookup')}?so={code}"


def contact_channel(contact: str) -> str:
    return Channel.EMAIL if "@" in (contact or "") else Channel.SMS


def sender_notify(item, action: str) -> None:
    """Queue one message for `action` on `item`; the event key (item, action) makes a second call
    for the same action send nothing more."""
    contact = (item.sender_contact or "").strip()
    if not contact or action not in SHORT_TEXT:
        return
    text = SHORT_TEXT[action].format(code=item.code, note=" ".join((item.note or "").split()))
    url = lookup_url(item.code)
    channel = contact_channel(contact)
    event_key = f"feedback-{item.pk}-{action}"
    if channel == Channel.SMS:
        body = _sms_body(text, f"{LOOKUP_HINT} {url}")
        notification_queue(
            channel=Channel.SMS, to=contact, body=body, reference=item.code, event_key=event_key
        )
        return
    notification_queue(
        channel=Channel.EMAIL,
        to=contact,
        subject=f"Phản ánh, kiến nghị {item.code}",
        body=_email_body(item, action, text, url),
        reference=item.code,
        event_key=event_key,
    )


def _sms_body(text: str, tail: str) -> str:
    text, tail = sms_text(text), " " + sms_text(tail)
    room = SMS_LIMIT - len(tail)
    if len(text) > room:
        text = text[: room - 3].rsplit(" ", 1)[0] + "..."
    return text + tail


def _email_body(item, action: str, text: str, url: str) -> str:
    """The e-mail carries the answer itself: the sender need not open the site to read it."""
    parts = [f"Kính gửi ông/bà {item.sender_name},", text, f"Tiêu đề: {item.title}"]
    if action in ("answer", "publish") and item.answer:
        parts.append("Nội dung trả lời:\n" + item.answer)
    parts.append(EMAIL_LOOKUP_HINT.format(url=url))
    return "\n\n".join(parts)
