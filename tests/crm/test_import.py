"""Importing a CSV file of leads: what a marketer's exported spreadsheet gives, bad rows named by
their line in the file, duplicates merged, all or nothing."""

from __future__ import annotations

import pytest

from clarion.core.errors import InvalidInput
from clarion.crm.models import Lead
from clarion.crm.reading import MAX_FILE_BYTES, MAX_ROWS, FileTooLarge
from clarion.crm.services import import_leads

pytestmark = pytest.mark.django_db


def lead(email: str) -> Lead:
    return Lead.objects.get(email=email)


def test_bad_rows_are_reported_by_their_line_and_the_good_ones_kept(workspace):
    data = (
        b"Email,Full name,Company,Score,Status\n"
        b"ann@acme.example,Ann Lee,Acme,40,new\n"
        b"not-an-address,Bob,,,\n"
        b"\n"  # a blank line still counts as a line of the file
        b'cy@beta.example,"Cy\nWithNewline",Beta,101,new\n'
        b"dee@gamma.example,Dee,Gamma,55,won\n"
        b",Nobody,Nowhere,,\n"
        b"eve@delta.example,Eve,Delta,7,Contacted\n"
    )

    report = import_leads(workspace=workspace, data=data)

    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "'not-an-address' is not a valid e-mail address"),
        (5, "score 101 is not a whole number from 0 to 100"),
        (7, "status 'won' is not one of new, contacted, qualified, converted"),
        (8, "no e-mail address"),
    ]
    assert report.created == 2
    assert sorted(Lead.objects.values_list("email", flat=True)) == [
        "ann@acme.example",
        "eve@delta.example",
    ]
    assert lead("eve@delta.example").status == "contacted"
    assert report.encoding == "utf-8" and report.delimiter == "comma"


def test_duplicates_in_the_file_and_with_existing_leads_are_merged_by_address(workspace):
    import_leads(
        workspace=workspace,
        data=b"email,name,company,phone,score,status\n"
        b"ann@acme.example,Ann Lee,,,60,qualified\n"
        b"bo@acme.example,Bo,Acme,,20,new\n",
    )
    second = (
        b"E-mail address;Name;Organisation;Phone;Score;Status\n"
        b"ANN@Acme.example;Annie;Acme Inc;+33 1 23;30;contacted\n"  # existing: fill gaps only
        b"cy@beta.example;Cy;;;10;new\n"
        b"Cy@Beta.example;Cyril;Beta;555;35;contacted\n"  # the same person again in the file
        b"bo@acme.example;Bo;Acme;;20;new\n"  # nothing new
    )

    report = import_leads(workspace=workspace, data=second)

    assert (report.created, report.updated, report.unchanged, report.merged_in_file) == (1, 1, 1, 1)
    assert report.delimiter == "semicolon"
    ann = lead("ann@acme.example")
    # Typed values stay; gaps are filled; the higher score and the further status stay.
    assert (ann.name, ann.company, ann.phone, ann.score, ann.status) == (
        "Ann Lee",
        "Acme Inc",
        "+33 1 23",
        60,
        "qualified",
    )
    cy = lead("cy@beta.example")
    assert (cy.name, cy.company, cy.phone, cy.score, cy.status) == (
        "Cy",
        "Beta",
        "555",
        35,
        "contacted",
    )
    assert Lead.objects.count() == 3


def test_a_windows_1252_file_is_read_and_the_report_says_so(workspace):
    data = "Email\tName\tCompany\nrene@cafe.example\tRené Dupré\tCafé Noël – Lyon\n".encode(
        "cp1252"
    )

    report = import_leads(workspace=workspace, data=data)

    assert report.encoding == "cp1252"
    assert report.delimiter == "tab"
    assert "not UTF-8" in report.warnings[0] and "Windows-1252" in report.warnings[0]
    rene = lead("rene@cafe.example")
    assert (rene.name, rene.company) == ("René Dupré", "Café Noël – Lyon")


def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_header(workspace):
    data = "\ufeffEmail,Name\nzoé@x.example,Zoé\nzoe@x.example,Zoé\n".encode()

    report = import_leads(workspace=workspace, data=data)

    assert report.encoding == "utf-8" and report.warnings == []
    assert report.created == 1 and report.rejected[0].line == 2  # Django's validator: ASCII only
    assert lead("zoe@x.example").name == "Zoé"


def test_unknown_columns_are_named_and_first_and_last_names_make_a_name(workspace):
    data = b"First name,Last name,Email,Favourite colour\nAda,Lovelace,ada@x.example,green\n"

    report = import_leads(workspace=workspace, data=data, source="import team.csv")

    assert report.warnings == ["columns ignored: Favourite colour"]
    ada = lead("ada@x.example")
    assert (ada.name, ada.source) == ("Ada Lovelace", "import team.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"Name,Company\nAnn,Acme\n", "no e-mail column"),
        (b"Email\x00Name\n", "not a CSV text file"),
        ("Email\n".encode("utf-16"), "not a CSV text file"),
        (
            b"email,name\nok@x.example,Ok\nbell@x.example,Ring\x07\n",
            r"\(U\+0007\); found on line 3",
        ),
    ],
)
def test_a_file_that_cannot_be_an_import_is_refused_whole(workspace, data, message):
    with pytest.raises(InvalidInput, match=message):
        import_leads(workspace=workspace, data=data)
    assert not Lead.objects.exists()


def test_a_file_over_the_caps_is_refused_before_anything_is_stored(workspace):
    with pytest.raises(FileTooLarge, match="at most 5,242,880"):
        import_leads(workspace=workspace, data=b"email\n" + b"a" * MAX_FILE_BYTES)
    rows = b"email\n" + b"".join(b"p%d@x.example\n" % i for i in range(MAX_ROWS + 1))
    with pytest.raises(InvalidInput, match="more than 10,000 leads"):
        import_leads(workspace=workspace, data=rows)
    assert not Lead.objects.exists()


def test_the_same_address_in_two_workspaces_is_two_leads(workspace, other_workspace):
    data = b"email,score\nann@acme.example,50\n"
    import_leads(workspace=workspace, data=data)
    import_leads(workspace=other_workspace, data=b"email,score\nann@acme.example,90\n")

    assert sorted(Lead.objects.values_list("workspace__name", "score")) == [
        ("Default", 50),
        ("Other client", 90),
    ]


def test_a_row_may_name_the_agent_handling_the_lead(workspace):
    from clarion.agents.models import Agent

    agent = Agent.objects.filter(workspace=workspace, is_active=True).order_by("id").first()
    data = (
        f"email,assigned to\nann@acme.example,{agent.name.upper()}\nbo@acme.example,Nobody Here\n"
    ).encode()

    report = import_leads(workspace=workspace, data=data)

    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "no active agent is named 'Nobody Here' (see the roster)")
    ]
    assert lead("ann@acme.example").assigned_to == agent
