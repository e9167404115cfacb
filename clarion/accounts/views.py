"""Sign-in, sign-out, the first owner's setup link and the account page (workspaces, API
tokens)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clarion.accounts import services, workspaces
from clarion.accounts.auth import SESSION_WORKSPACE, membership_of, workspace_of
from clarion.accounts.forms import OwnerForm, SignInForm, TokenForm
from clarion.core.errors import Conflict, InvalidInput, NotFound

# Throttled by django-axes (its backend and middleware): too many failures lock the
# e-mail address from that client for CLARION_LOGIN_COOLOFF_MINUTES.
sign_in = login_not_required(
    LoginView.as_view(template_name="accounts/sign_in.html", authentication_form=SignInForm)
)
sign_out = LogoutView.as_view()


@login_not_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest, token: str) -> HttpResponse:
    """Create the first owner with the link `clarion serve` printed."""
    try:
        services.check_setup_token(token)
    except (InvalidInput, Conflict) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        status = 410 if isinstance(exc, Conflict) else 400
        return render(request, "accounts/setup_refused.html", {"message": message}, status=status)
    form = OwnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                role="owner",
                first_owner=True,
            )
        except Conflict as exc:
            return render(request, "accounts/setup_refused.html", {"message": str(exc)}, status=410)
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:show-account")
    return render(request, "accounts/setup.html", {"form": form})


def _account_page(
    request: HttpRequest, form: TokenForm, *, new_token: str = "", status: int = 200
) -> HttpResponse:
    membership = membership_of(request)
    context = {
        "membership": membership,
        "memberships": workspaces.memberships_of(request.user),  # type: ignore[arg-type]
        "tokens": services.list_tokens(
            user=request.user,  # type: ignore[arg-type]
            workspace=membership.workspace,
        ),
        "form": form,
        "new_token": new_token,
    }
    return render(request, "accounts/account.html", context, status=status)


@require_GET
def show_account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, TokenForm())


@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=422)
    days = form.cleaned_data["expires_in_days"]
    try:
        _, raw = services.create_token(
            user=request.user,  # type: ignore[arg-type]
            workspace=workspace_of(request),
            name=form.cleaned_data["name"],
            expires_in=timedelta(days=days) if days else None,
        )
    except InvalidInput as exc:
        form.add_error("name", exc.message)
        return _account_page(request, form, status=422)
    return _account_page(request, TokenForm(), new_token=raw)


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.get_token(str(token_id), user=request.user)  # type: ignore[arg-type]
    except NotFound:
        return _account_page(request, TokenForm(), status=404)
    services.revoke_token(token=token)
    return redirect("accounts:show-account")


@require_POST
def switch_workspace(request: HttpRequest) -> HttpResponse:
    """Work in another of your workspaces (the form on the account page)."""
    ref = request.POST.get("workspace", "")
    try:
        membership = workspaces.membership_in(
            workspaces.get_workspace(ref),
            request.user,  # type: ignore[arg-type]
        )
    except NotFound:
        membership = None
    if membership is None:
        return _account_page(request, TokenForm(), status=404)
    request.session[SESSION_WORKSPACE] = membership.workspace_id
    return redirect("accounts:show-account")
