from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import get_scoped, scoped
from clarion.api.pagination import Pages
from clarion.api.schemas import INVALID, NOT_FOUND
from clarion.brands.services import get_brand
from clarion.writing import services
from clarion.writing.models import IterationSession
from clarion.writing.schemas import SessionOut, SloganIn

router = Router(tags=["slogans"])


def _sessions(request: HttpRequest) -> QuerySet[IterationSession]:
    """The request's workspace's sessions, with what their answers show."""
    query = IterationSession.objects.select_related("brand", "job").prefetch_related("turns")
    return scoped(query, workspace_of(request))


@router.post("/slogans", response={200: SessionOut, 202: SessionOut, **NOT_FOUND, **INVALID})
def create_slogan(request: HttpRequest, payload: SloganIn) -> Status:
    """Run a writer ↔ reviewer session and return it (or queue it with ``background``)."""
    workspace = workspace_of(request)
    brand = get_brand(payload.brand, workspace=workspace) if payload.brand else None
    options = payload.model_dump(exclude={"brand", "background"})
    if payload.background:
        session = services.enqueue_session(brand=brand, workspace=workspace, **options)
        return Status(
            202, IterationSession.objects.select_related("brand", "job").get(pk=session.pk)
        )
    session = services.start_session(brand=brand, workspace=workspace, **options)
    session = services.run_session(session)
    return Status(200, _sessions(request).get(pk=session.pk))


@router.get("/slogans", response={200: list[SessionOut], **INVALID})
@paginate(Pages)
def list_slogans(request: HttpRequest) -> QuerySet[IterationSession]:
    return _sessions(request)


@router.get("/slogans/{session_id}", response={200: SessionOut, **NOT_FOUND, **INVALID})
def get_slogan(request: HttpRequest, session_id: int) -> IterationSession:
    return get_scoped(
        _sessions(request), workspace_of(request), missing=f"no session {session_id}", pk=session_id
    )
