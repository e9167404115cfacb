"""The leads page: the workspace's leads by status and score, and a CSV import (editors and
owners) whose report names every row left out by its line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from clarion.accounts.auth import workspace_of
from clarion.core.errors import Conflict, InvalidInput
from clarion.crm.models import LeadStatus
from clarion.crm.reading import MAX_FILE_BYTES
from clarion.crm.services import ImportReport, import_leads, leads_of

LEADS_PER_PAGE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class LeadFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "every status"), *LeadStatus.choices], required=False)
    min_score = forms.IntegerField(min_value=0, max_value=100, required=False, label="Score from")
    q = forms.CharField(max_length=200, required=False, label="Search")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row (Email, Name, Company, Phone, Source, Status, Score); "
        "comma, semicolon or tab; at most 5 MB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; an import reads at most {MAX_FILE_BYTES:,}."
            )
        return upload


@require_http_methods(["GET", "POST"])
def list_leads(request: HtmxHttpRequest) -> HttpResponse:
    """Leads, best score first (``?status=``, ``?min_score=``, ``?q=``); POST imports a file."""
    workspace = workspace_of(request)
    report: ImportReport | None = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_leads(
                    workspace=workspace,
                    data=upload.read(),
                    source=f"import {upload.name}"[:120],
                )
                form = ImportForm()
            except (InvalidInput, Conflict) as exc:
                message = exc.message if isinstance(exc, InvalidInput) else str(exc)
                form.add_error("file", message)
    filters = LeadFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    leads = leads_of(
        workspace,
        status=chosen.get("status") or None,
        min_score=chosen.get("min_score"),
        q=chosen.get("q") or None,
    )
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page", "1"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "section": "leads",
        "filters": filters,
        "form": form,
        "report": report,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(chosen.get(k) not in (None, "") for k in ("status", "min_score", "q")),
    }
    if request.htmx and request.method == "POST":
        return render(request, "crm/leads.html#leads-body", context)
    return render(request, "crm/leads.html", context)
