"""The REST API at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from clarion import __version__
from clarion.accounts.api import router as accounts_router
from clarion.accounts.auth import API_AUTH
from clarion.agents.api import router as agents_router
from clarion.agents.control_api import router as jobs_router
from clarion.analytics.api import router as analytics_router
from clarion.api.openapi import document_auth_answers, document_text_rules
from clarion.api.schemas import ErrorOut, ValidationErrorOut
from clarion.audit.api import router as audit_router
from clarion.automation.api import router as automation_router
from clarion.brands.api import router as brands_router
from clarion.campaigns.api import router as campaigns_router
from clarion.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from clarion.core.redact import redact_text
from clarion.crm.api import router as crm_router
from clarion.planning.api import router as planning_router
from clarion.publishing.api import router as publishing_router
from clarion.webhooks.api import router as webhooks_router
from clarion.writing.api import router as writing_router


class ClarionAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ValidationErrorOut", ValidationErrorOut.model_json_schema())
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        error = {"$ref": "#/components/schemas/ValidationErrorOut"}
        document_text_rules(document, error_schema=error)
        document_auth_answers(document, error_schema={"$ref": "#/components/schemas/ErrorOut"})
        return document


# Every operation needs an API token or a signed-in session (with CSRF for unsafe methods);
# ``clarion.accounts.auth.SignInRequired`` refuses anonymous requests before they get here.
api = ClarionAPI(
    title="Clarion API",
    version=__version__,
    description=(
        "Plan, write, review and publish with Clarion. Authenticate with an API token "
        "(`Authorization: Bearer <token>`; `clarion token create`) or, from a browser, a "
        "signed-in session with the CSRF token in `X-CSRFToken`. Bodies are "
        "`application/json`."
    ),
    auth=API_AUTH,
)


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    detail = [{"type": "value_error", "loc": ["body", *exc.field.split(".")], "msg": exc.message}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(Forbidden)
def forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Unavailable)
def unavailable(request: HttpRequest, exc: Unavailable) -> HttpResponse:
    # The cause may quote a model server's address: never with its credentials.
    return api.create_response(request, {"detail": redact_text(str(exc))}, status=503)


api.add_router("/", accounts_router)
api.add_router("/", brands_router)
# Before the agents router: /agents/regenerate-strategy/ is a literal route.
api.add_router("/", campaigns_router)
api.add_router("/", writing_router)
# Before the agents router: /jobs/start is a literal route beside its /jobs/{job_id}.
api.add_router("/", jobs_router)
api.add_router("/", agents_router)
api.add_router("/", planning_router)
api.add_router("/", publishing_router)
api.add_router("/", webhooks_router)
api.add_router("/", audit_router)
api.add_router("/", crm_router)
api.add_router("/", analytics_router)
api.add_router("/", automation_router)
