"""The REST API at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from clarion import __version__
from clarion.agents.api import router as agents_router
from clarion.brands.api import router as brands_router
from clarion.campaigns.api import router as campaigns_router
from clarion.core.errors import Conflict, InvalidInput, NotFound, Unavailable
from clarion.planning.api import router as planning_router
from clarion.publishing.api import router as publishing_router
from clarion.writing.api import router as writing_router

api = NinjaAPI(
    title="Clarion API",
    version=__version__,
    description="Plan, write, review and publish with Clarion.",
)


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    detail = [{"type": "value_error", "loc": ["body", *exc.field.split(".")], "msg": exc.message}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Unavailable)
def unavailable(request: HttpRequest, exc: Unavailable) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=503)


api.add_router("/", brands_router)
# Before the agents router: /agents/regenerate-strategy/ is a literal route.
api.add_router("/", campaigns_router)
api.add_router("/", writing_router)
api.add_router("/", agents_router)
api.add_router("/", planning_router)
api.add_router("/", publishing_router)
