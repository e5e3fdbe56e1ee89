from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accounts import services
from convene.accounts.forms import ApiTokenForm, FocalPointForm
from convene.accounts.models import ApiToken
from convene.delegations.models import Delegation


def focal_point_add(request, pk: int):
    delegation = get_object_or_404(Delegation.objects.select_related("entity"), pk=pk)
    if not request.user.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
    form = FocalPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.add_focal_point(request.user, delegation, **form.cleaned_data)
        services.send_password_link(request, user)  # the account is committed by now
        messages.success(request, _("%(user)s is now a focal point of %(d)s; a link to set "
                                    "the password was sent to %(email)s.")
                         % {"user": user.username, "d": delegation, "email": user.email})
        return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "accounts/focal_point_form.html",
                  {"delegation": delegation, "form": form})


# --- Personal API tokens (issue 16) -----------------------------------------------------------


_NEW_SECRET = "convene_new_api_token"


def _own_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_tokens(request):
    """The user's API tokens: create one (its secret shown once, here), see their last use."""
    if not request.user.has_perm("accounts.manage_own_tokens"):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created, secret = services.create_api_token(
            request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"])
        # Post/redirect/get, so that reloading the page makes no second token; the secret
        # waits in the session for the one page that shows it, and is gone from there after.
        request.session[_NEW_SECRET] = {"pk": created.pk, "secret": secret}
        return redirect("team:api_tokens")
    created = secret = None
    if request.method == "GET" and (new := request.session.pop(_NEW_SECRET, None)):
        created = ApiToken.objects.filter(pk=new["pk"], user=request.user).first()
        secret = new["secret"] if created else None
    # The page that shows a secret is never cached by the browser or a proxy.
    response = render(request, "accounts/api_tokens.html", {
        "form": form, "tokens": _own_tokens(request.user), "created": created,
        "secret": secret, "now": timezone.now()})
    add_never_cache_headers(response)
    return response


@require_POST
def api_token_revoke(request, pk: int):
    if not request.user.has_perm("accounts.manage_own_tokens"):
        raise PermissionDenied
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk:  # one's own only; the secretariat uses the command
        raise PermissionDenied
    token = services.revoke_api_token(request.user, token)
    if request.htmx:
        return render(request, "accounts/api_tokens.html#token-row",
                      {"t": token, "now": timezone.now()})
    messages.success(request, _("The token “%(name)s” is revoked; it no longer works.")
                     % {"name": token.name})
    return redirect("team:api_tokens")
