"""Pages and files the campaigns app serves."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from clarion.accounts.auth import workspace_of
from clarion.accounts.scope import scoped
from clarion.campaigns.media import stored_card
from clarion.campaigns.models import Post


@require_GET
def show_post_card(request: HttpRequest, campaign_id: str, post_id: str) -> FileResponse:
    """The media card PNG of one post; 404 when the post or its card does not exist.

    The post is looked up by its ids in the database and the file comes from its
    recorded path (checked to lie under MEDIA_ROOT/cards): URL text never becomes a path.
    """
    posts = scoped(Post, workspace_of(request))  # another workspace's card: 404
    post = posts.filter(campaign__campaign_id=campaign_id, post_id=post_id).first()
    path = stored_card(post) if post is not None else None
    if path is None:
        raise Http404("no card for this post")
    return FileResponse(path.open("rb"), content_type="image/png")
