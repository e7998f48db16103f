"""Access rules of the feedback app, merged by tests/backoffice/test_url_access.py."""

PUBLIC_URLS = {
    "feedback_public:qa_list": "the public Hỏi – Đáp: published answers, no personal data",
    "feedback_public:qa_detail": "one published question and answer, no personal data",
    "feedback_public:feedback_new": "citizens send feedback without an account (rate-limited, CSRF)",
    "feedback_public:feedback_sent": "the receipt: number, date, status and limit — no personal data",
    "feedback_public:lookup": (
        "the sender finds their item by number + last 4 phone digits or e-mail (rate-limited)"
    ),
    "feedback_public:lookup_result": "the sender's own item, only for the session that proved it",
    "feedback_public:lookup_attachment": "the sender's own file, only for the session that proved it",
    "feedback_public:survey_answer": "online survey answering, anonymous (one per session, rate-limited)",
    "feedback_public:survey_thanks": "the thank-you page after an online survey answer",
}

STAFF_NAMESPACES = {"feedback"}
