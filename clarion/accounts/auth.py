"""Who is asking: the one place every request is authenticated.

``SignInRequired`` (the middleware) lets nothing through without a person behind it:
an ``/api/`` request needs a valid API token (``Authorization: Bearer …``) or a
signed-in session, and is answered 401 in JSON otherwise; a page needs a
signed-in session and redirects to the sign-in page otherwise. Only views marked
``login_not_required`` (sign-in, the setup link, ``/health``) are open.

The API's own auth classes (``API_AUTH``) then say the same in the OpenAPI
document, give each operation ``request.auth`` (the user) and check CSRF for
session calls.

It then decides the request's workspace (``request.membership``): a token's own, or
the one a signed-in person last switched to (their first otherwise). Roles are
enforced here too: a viewer reads and changes nothing but their own tokens and
current workspace; owner-only actions call ``require_role``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from clarion.accounts.models import ApiToken, Membership, Role, Workspace
from clarion.accounts.services import user_for_token
from clarion.core.errors import Forbidden

API_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
API_DOCS = API_PREFIX + "docs"  # the Swagger page: a page, it redirects to the sign-in
WWW_AUTHENTICATE = 'Bearer realm="clarion"'
MISSING = (
    "authentication required: send an API token as `Authorization: Bearer <token>` "
    "(make one with `clarion token create`), or sign in"
)
INVALID = "the API token is not valid: it is unknown, expired or revoked"
NOT_BEARER = "only API tokens are accepted: `Authorization: Bearer <token>`"
NO_WORKSPACE = "you are not a member of any workspace: ask an owner to add you"
READ_ONLY = (
    "viewers can read but not change anything: ask an owner of this workspace for the editor role"
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# What any member may change, viewers included: their own tokens and current workspace.
PERSONAL_API = ("/api/tokens", "/api/workspaces/current")
PERSONAL_PAGES = ("/sign-out/", "/account/")
# The session key of the workspace a signed-in person works in.
SESSION_WORKSPACE = "clarion_workspace"


def unauthorized(message: str) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=401, headers={"WWW-Authenticate": WWW_AUTHENTICATE}
    )


def token_of(request: HttpRequest) -> ApiToken | None:
    """The API token a request was authenticated with (None for a session)."""
    return getattr(request, "api_token", None)


def membership_of(request: HttpRequest) -> Membership:
    """The request's workspace and the person's role in it (set by ``SignInRequired``)."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise Forbidden(NO_WORKSPACE)
    return membership


def workspace_of(request: HttpRequest) -> Workspace:
    """The workspace a request acts in: every query serving it is scoped to it."""
    return membership_of(request).workspace


def require_role(request: HttpRequest, role: str) -> Membership:
    """Refuse (403) unless the person's role in the request's workspace is ``role`` or above."""
    membership = membership_of(request)
    if not membership.allows(role):
        raise Forbidden(f"only a workspace {role} may do this; your role here is {membership.role}")
    return membership


def resolve_membership(request: HttpRequest) -> Membership | None:
    """The workspace this request acts in, with the person's role there (one query)."""
    token = token_of(request)
    memberships = Membership.objects.select_related("workspace").filter(user=request.user.pk)
    if token is not None:
        return memberships.filter(workspace=token.workspace_id).first()
    session = getattr(request, "session", None)
    wanted = session.get(SESSION_WORKSPACE) if session is not None else None
    mine = list(memberships.order_by("created_at", "pk"))
    chosen = next((m for m in mine if m.workspace_id == wanted), None)
    return chosen or (mine[0] if mine else None)


def _refusal(request: HttpRequest, membership: Membership | None) -> HttpResponse | None:
    """403 without a workspace, or for a viewer changing something (the JSON or a page)."""
    if request.path_info.startswith(ADMIN_PREFIX):
        return None  # the Django admin serves the whole installation, to its staff only
    api = request.path_info.startswith(API_PREFIX)
    personal = request.path_info.startswith(PERSONAL_API if api else PERSONAL_PAGES)
    if membership is None:
        message = NO_WORKSPACE
    elif request.method in SAFE_METHODS or personal or membership.allows(Role.EDITOR):
        return None
    else:
        message = READ_ONLY
    if api:
        return JsonResponse({"detail": message}, status=403)
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")


def authenticate_api_request(request: HttpRequest) -> JsonResponse | None:
    """Authenticate an API request; return the 401 to answer when it cannot be.

    A token wins over a session cookie; a malformed or unknown token is refused even
    when a session is present, so a script never acts as whoever uses the browser.
    """
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer":
            return unauthorized(NOT_BEARER)
        token = user_for_token(credentials.strip())
        if token is None:
            return unauthorized(INVALID)
        request.api_token = token  # type: ignore[attr-defined]
        request.user = token.user
        return None
    if request.user.is_authenticated:
        return None
    return unauthorized(MISSING)


class SignInRequired(LoginRequiredMiddleware):
    """401 for the API, the sign-in page for pages, unless the view is marked open."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.path_info == API_DOCS:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        elif request.path_info.startswith(API_PREFIX):
            refused = authenticate_api_request(request)
            if refused is not None:
                return refused
        return super().__call__(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> Any:
        response = self._sign_in(request, view_func, view_args, view_kwargs)
        if response is not None or not getattr(view_func, "login_required", True):
            return response
        membership = resolve_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        return _refusal(request, membership)

    def _sign_in(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> Any:
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if isinstance(response, HttpResponseRedirect) and request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment: send the browser there.
            return HttpResponse(status=204, headers={"HX-Redirect": response.url})
        return response


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer clarion_…``: a token made with `clarion token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        found = token_of(request) or user_for_token(token)
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(NinjaSessionAuth):
    """A signed-in browser; unsafe methods need the CSRF token (``X-CSRFToken``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        user = request.user
        if token_of(request) is not None or isinstance(user, AnonymousUser):
            return None
        return user if user.is_authenticated else None


API_AUTH = [ApiTokenAuth(), SessionAuth(csrf=True)]
