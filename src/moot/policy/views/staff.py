"""Staff pages: the mentions found in their department's records, to confirm or remove."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from moot.core.audit import audit_record
from moot.core.models import AuditAction, User
from moot.core.staff_auth import staff_required
from moot.policy import selectors
from moot.policy.models import MentionStatus
from moot.policy.services import MentionReviewRefused, mention_review

PAGE_SIZE = 50
ACTIONS = {"confirm": MentionStatus.CONFIRMED, "remove": MentionStatus.REMOVED}


@staff_required
def staff_mentions(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", MentionStatus.SUGGESTED)
    if status not in MentionStatus.values and status != "all":
        status = MentionStatus.SUGGESTED
    mentions = selectors.mentions_for_review(
        user=request.user, status="" if status == "all" else status
    )
    page = Paginator(mentions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": [selectors.mention_in_context(mention) for mention in page.object_list],
        "status": status,
        "statuses": [(value, label) for value, label in MentionStatus.choices] + [("all", "All")],
    }
    return render(request, "policy/staff/mentions.html", context)


@staff_required
@require_POST
def staff_mention_review(request: HttpRequest, mention_id: int, action: str) -> HttpResponse:
    status = ACTIONS.get(action)
    if status is None:
        raise Http404("No such action")
    mention = selectors.mention_for_staff(user=request.user, mention_id=mention_id)
    try:
        mention_review(mention=mention, status=status, by=cast(User, request.user))
    except MentionReviewRefused as error:
        messages.error(request, str(error))
    else:
        audit_record(
            request=request,
            action=AuditAction.REVIEW_MENTION,
            record_ids=[mention.pk],
            detail={
                "status": status.value,
                "words": mention.matched_text,
                "target": str(mention.target),
            },
        )
        messages.success(
            request,
            f"The link from “{mention.matched_text}” to {mention.target} has been "
            f"{'confirmed' if status == MentionStatus.CONFIRMED else 'removed'}.",
        )
    back = request.POST.get("next", "")
    if not back.startswith(reverse("policy:staff_mentions")):
        back = reverse("policy:staff_mentions")
    return redirect(back)
