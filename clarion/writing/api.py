from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from clarion.api.pagination import Pages
from clarion.api.schemas import INVALID, NOT_FOUND
from clarion.brands.services import get_brand
from clarion.writing import services
from clarion.writing.models import IterationSession
from clarion.writing.schemas import SessionOut, SloganIn

router = Router(tags=["slogans"])


def _sessions() -> QuerySet[IterationSession]:
    return IterationSession.objects.select_related("brand", "job").prefetch_related("turns")


@router.post("/slogans", response={200: SessionOut, 202: SessionOut, **NOT_FOUND, **INVALID})
def create_slogan(request: HttpRequest, payload: SloganIn) -> Status:
    """Run a writer ↔ reviewer session and return it (or queue it with ``background``)."""
    brand = get_brand(payload.brand) if payload.brand else None
    options = payload.model_dump(exclude={"brand", "background"})
    if payload.background:
        session = services.enqueue_session(brand=brand, **options)
        return Status(
            202, IterationSession.objects.select_related("brand", "job").get(pk=session.pk)
        )
    session = services.run_session(services.start_session(brand=brand, **options))
    return Status(200, _sessions().get(pk=session.pk))


@router.get("/slogans", response={200: list[SessionOut], **INVALID})
@paginate(Pages)
def list_slogans(request: HttpRequest) -> QuerySet[IterationSession]:
    return _sessions()


@router.get("/slogans/{session_id}", response={200: SessionOut, **NOT_FOUND, **INVALID})
def get_slogan(request: HttpRequest, session_id: int) -> IterationSession:
    return get_object_or_404(_sessions(), pk=session_id)
