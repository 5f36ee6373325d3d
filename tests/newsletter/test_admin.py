"""Subscribers in the admin: CSV import (good and bad rows, encodings, 100,000 rows),
export, erasure, and who may do what."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletter import consent, csvio, services
from newsletter.models import Subscriber
from tests.factories import UserFactory, analyst, editor
from tests.newsletter.helpers import confirm_latest

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/newsletter/subscriber/import/"


@pytest.fixture
def editor_client(client):
    client.force_login(editor())
    return client


def _upload(content, name="list.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields}


def _existing(email, status="confirmed"):
    record = consent.Consent(source="/t/", text="t", version=consent.CURRENT_VERSION)
    result = services.subscriber_subscribe(email=email, language="en", consent=record)
    if status == "confirmed":
        confirm_latest(result.subscriber_id)
    elif status == "unsubscribed":
        services.subscriber_unsubscribe(subscriber_id=result.subscriber_id)
    return Subscriber.objects.get(pk=result.subscriber_id)


GOOD_AND_BAD = (
    "email,language\n"               # line 1
    "anna@example.org,ru\n"          # 2 good
    "not-an-address,en\n"            # 3 bad address
    "Boris@Example.ORG,be\n"         # 4 good
    "anna@EXAMPLE.org,en\n"          # 5 duplicate of line 2
    "carl@example.org,de\n"          # 6 unknown language
    "dora@example.org,en,extra\n"    # 7 wrong columns
    "left@example.org,en\n"          # 8 already on the list (unsubscribed)
    "\n"                             # 9 blank: skipped
    "eve@example.org,EN\n"           # 10 good
)


def test_import_reports_each_bad_row_and_imports_the_good_ones(
    editor_client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.NEWSLETTER_CONFIRMATION_BATCH_SIZE = 2
    _existing("left@example.org", "unsubscribed")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(IMPORT_URL, _upload(GOOD_AND_BAD))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.imported == 3
    reasons = {p.line: p.reason for p in report.problems}
    assert sorted(reasons) == [3, 5, 6, 7, 8]
    assert reasons[3].startswith("bad address")
    assert reasons[5] == "duplicate of line 2 in this file"
    assert "unknown language" in reasons[6]
    assert "wrong number of columns" in reasons[7]
    assert reasons[8].startswith("already on the list")
    imported = Subscriber.objects.exclude(email="left@example.org")
    assert {s.email for s in imported} == {
        "anna@example.org", "Boris@example.org", "eve@example.org"}
    assert {s.status for s in imported} == {Subscriber.Status.PENDING}
    assert {s.consent_source for s in imported} == {"import: list.csv by editor"}
    # The one who left stays left.
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"
    # Confirmation emails, one each, in each one's language, in batches of two.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "Boris@example.org", "anna@example.org", "eve@example.org"]
    assert all("/newsletter/confirm/" in m.body for m in mailoutbox)
    assert all("List-Unsubscribe" not in m.extra_headers for m in mailoutbox)
    html = response.content.decode()
    assert 'id="import-problems"' in html and "duplicate of line 2" in html
    # The full report downloads as CSV.
    key = response.context["report_key"]
    download = editor_client.get(reverse("admin:newsletter_subscriber_import_report",
                                         kwargs={"key": key}))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["line", "value", "reason"] and len(rows) == 6


def test_import_with_attested_consent_subscribes_at_once_and_records_it(
    editor_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(IMPORT_URL, _upload(
            "Email;Name\nanna@example.org;Anna\nboris@example.org;Boris\n",
            name="conference.csv", default_language="be", already_consented="on",
            consent_statement="Signed the paper form at the Minsk conference, 2026-10-01.",
        ))
    assert response.status_code == 200
    assert response.context["report"].imported == 2
    assert mailoutbox == []
    for row in Subscriber.objects.all():
        assert row.status == Subscriber.Status.CONFIRMED and row.confirmed_at
        assert row.language == "be"
        assert row.consent_source == "import: conference.csv by editor"
        assert row.consent_text.startswith("Signed the paper form")
        assert row.consent_at


def test_attesting_consent_requires_saying_how(editor_client):
    response = editor_client.post(IMPORT_URL, _upload(
        "email,language\nanna@example.org,en\n", already_consented="on"))
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("content, message", [
    ("email,language\nанна@пример.бел,ru\n".encode("cp1251"), "not UTF-8"),
    ("email,language\nanna@example.org,ru\n".encode("utf-16"), "UTF-16"),
    ("address,lang\nanna@example.org,ru\n", "“email”"),
    ("email\nanna@example.org\n", "no “language” column"),
    ("", "file is empty"),
    ("\n\n", "The file is empty"),
    (b"\x00\x01\x02PK\x03\x04", "not"),
], ids=["cp1251", "utf16", "wrong-header", "no-language-column", "empty", "blank-lines",
        "binary"])
def test_unreadable_files_are_refused_with_a_message_and_import_nothing(
    editor_client, content, message
):
    response = editor_client.post(IMPORT_URL, _upload(content))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Subscriber.objects.exists()


def test_utf8_with_bom_from_excel_is_fine(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(IMPORT_URL, _upload(
            "\ufeffemail,language\r\nanna@example.org,ru\r\n"))
    assert response.context["report"].imported == 1


def test_import_needs_the_add_permission(client):
    client.force_login(analyst())
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, _upload("email,language\na@example.org,en\n")).status_code \
        == 403
    assert not Subscriber.objects.exists()


def test_add_leads_to_the_import(editor_client):
    response = editor_client.get("/admin/newsletter/subscriber/add/")
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    changelist = editor_client.get("/admin/newsletter/subscriber/").content.decode()
    assert IMPORT_URL in changelist


def test_a_hundred_thousand_rows(django_assert_max_num_queries):
    # Existence is checked in chunks of 900 addresses, and rows are inserted in
    # batches (SQLite makes them small, to stay within 999 parameters), so the
    # number of queries grows with the file by batches, never by rows. Two tables
    # are written in batches: the subscribers and their consent records (#19), so
    # on SQLite (999 parameters a query) 100,000 rows take about 3,050 queries.
    _existing("row00007@example.org")
    lines = ["email,language"] + [
        f"row{i:05d}@example.org,{('en', 'be', 'ru')[i % 3]}" for i in range(100_000)
    ]
    lines[500] = "broken,en"
    user = UserFactory(username="importer")
    with django_assert_max_num_queries(3500) as queries:
        report = services.subscriber_import_csv(
            data="\n".join(lines).encode(), filename="big.csv", user=user,
            attested_consent="Subscribed on our old site before the move.",
        )
    assert report.imported == 99_998
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) <= 120
    assert [p.line for p in report.problems] == [9, 501]
    assert Subscriber.objects.count() == 99_999
    assert Subscriber.objects.filter(language="ru").count() == 33_333


def test_parse_reports_multiline_and_long_values():
    parsed = csvio.parse(
        ('email,language\n"' + "x" * 300 + '@example.org",en\n').encode(),
        languages={"en"},
    )
    assert parsed.rows == []
    assert "at most 254" in parsed.problems[0].reason


# --- export ------------------------------------------------------------------------------


def test_export_action_and_view_stream_csv(editor_client):
    _existing("anna@example.org")
    _existing("=cmd@example.org", status="pending")
    response = editor_client.post("/admin/newsletter/subscriber/", {
        "action": "export_csv",
        "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
    })
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["email", "language", "status"]
    assert sorted(r[0] for r in rows[1:]) == ["'=cmd@example.org", "anna@example.org"]
    filtered = editor_client.get("/admin/newsletter/subscriber/export/?status__exact=confirmed")
    rows = list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))
    assert [r[0] for r in rows[1:]] == ["anna@example.org"]
    # What is exported imports again.
    assert csvio.parse(b"".join(editor_client.get(
        "/admin/newsletter/subscriber/export/?status__exact=confirmed").streaming_content),
        languages={"en"}).rows[0].email == "anna@example.org"


def test_export_with_bad_filters_does_not_fail(editor_client):
    response = editor_client.get("/admin/newsletter/subscriber/export/?nonsense=1")
    assert response.status_code == 302


# --- erasure ------------------------------------------------------------------------------


def test_erase_action_deletes_the_row_and_the_history_naming_it(editor_client):
    anna = _existing("anna@example.org")
    keep = _existing("keep@example.org")
    editor_client.post(f"/admin/newsletter/subscriber/{anna.pk}/change/", {"language": "ru"})
    assert Subscriber.objects.get(pk=anna.pk).language == "ru"
    assert LogEntry.objects.filter(object_repr="anna@example.org").exists()
    ask = editor_client.post("/admin/newsletter/subscriber/", {
        "action": "erase_data", "_selected_action": [anna.pk]})
    assert ask.status_code == 200 and "Yes, erase" in ask.content.decode()
    assert Subscriber.objects.filter(pk=anna.pk).exists()
    done = editor_client.post("/admin/newsletter/subscriber/", {
        "action": "erase_data", "_selected_action": [anna.pk], "confirmed": "yes"})
    assert done.status_code == 302
    assert not Subscriber.objects.filter(pk=anna.pk).exists()
    assert Subscriber.objects.filter(pk=keep.pk).exists()
    assert not LogEntry.objects.filter(object_repr__icontains="anna").exists()


def test_the_delete_button_erases_without_a_trace(editor_client):
    anna = _existing("anna@example.org")
    response = editor_client.post(f"/admin/newsletter/subscriber/{anna.pk}/delete/",
                                  {"post": "yes"})
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not LogEntry.objects.filter(object_repr__icontains="anna").exists()


def test_analysts_cannot_see_subscribers(client):
    client.force_login(analyst())
    assert client.get("/admin/newsletter/subscriber/").status_code == 403
    assert client.get("/admin/newsletter/subscriber/export/").status_code == 403


def test_changelist_search_and_filters(editor_client):
    _existing("anna@example.org")
    _existing("boris@example.org", status="pending")
    response = editor_client.get("/admin/newsletter/subscriber/?q=anna")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("email", flat=True)) == [
        "anna@example.org"]
    response = editor_client.get(
        "/admin/newsletter/subscriber/?status__exact=pending&language__exact=en")
    assert [s.email for s in response.context["cl"].result_list] == ["boris@example.org"]
