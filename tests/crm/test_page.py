"""The leads page: leads by status and score, and an import whose report lists the bad lines;
editors import, viewers only read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from clarion.crm.models import Lead
from clarion.crm.services import import_leads

pytestmark = pytest.mark.django_db

PAGE = "/leads/"


def csv_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("fair.csv", content, content_type="text/csv")


def test_an_import_from_the_page_shows_the_report_with_its_bad_lines(client):
    data = b"Email,Name,Score\nann@acme.example,Ann,80\nnope,Bob,5\nann@acme.example,,95\n"

    page = client.post(PAGE, {"file": csv_file(data)}).content.decode()

    assert "Import done" in page
    assert "<strong>1</strong> new lead," in page
    assert "1 duplicate row merged" in page
    assert "<td>line 3</td><td>&#x27;nope&#x27; is not a valid e-mail address</td>" in page
    assert 'id="lead-' in page and "ann@acme.example" in page
    assert Lead.objects.get().score == 95


def test_an_htmx_import_swaps_the_report_and_list_in_place(client):
    response = client.post(
        PAGE, {"file": csv_file(b"email\nbo@beta.example\n")}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="leads-body">')
    assert "<html" not in body
    assert "bo@beta.example" in body and "Import done" in body


def test_a_file_that_is_not_an_import_says_why_on_the_form(client):
    page = client.post(PAGE, {"file": csv_file(b"Name\nAnn\n")}).content.decode()

    assert 'class="error" role="alert"' in page
    assert "no e-mail column" in page
    assert "Import done" not in page


def test_leads_are_filtered_by_status_and_score(client, workspace):
    import_leads(
        workspace=workspace,
        data=b"email,status,score\nhot@x.example,qualified,90\ncold@x.example,new,10\n",
    )

    qualified = client.get(PAGE, {"status": "qualified"}).content.decode()
    assert "hot@x.example" in qualified and "cold@x.example" not in qualified
    scored = client.get(PAGE, {"min_score": "50"}).content.decode()
    assert "hot@x.example" in scored and "cold@x.example" not in scored
    nonsense = client.get(PAGE, {"status": "won", "min_score": "abc"})
    assert nonsense.status_code == 200
    assert "cold@x.example" in nonsense.content.decode()


def test_a_viewer_sees_the_leads_but_no_import_form_and_cannot_post_one(viewer, workspace):
    import_leads(workspace=workspace, data=b"email\nann@acme.example\n")
    browser = Client()
    browser.force_login(viewer)

    page = browser.get(PAGE).content.decode()
    assert "ann@acme.example" in page
    assert 'enctype="multipart/form-data"' not in page

    refused = browser.post(PAGE, {"file": csv_file(b"email\nbo@beta.example\n")})
    assert refused.status_code == 403
    assert not Lead.objects.filter(email="bo@beta.example").exists()


def test_another_workspace_sees_none_of_these_leads(client, outsider, workspace):
    import_leads(workspace=workspace, data=b"email\nann@acme.example\n")
    theirs = Client()
    theirs.force_login(outsider)

    assert "ann@acme.example" in client.get(PAGE).content.decode()
    page = theirs.get(PAGE).content.decode()
    assert "ann@acme.example" not in page and "No lead yet" in page
    assert 'href="/leads/"' in page  # the section is in the navigation
