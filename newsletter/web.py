"""The web version of a newsletter email ("view in browser")."""

from csp.decorators import csp_update
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from bulletin.models import Issue
from newsletter.dispatch import content


# The email's CSS is inlined into style attributes (email clients need that),
# so this one page allows inline styles; scripts stay forbidden.
@csp_update({"style-src": "'unsafe-inline'"})
@require_GET
def web_version(request, number):
    issue = get_object_or_404(Issue.objects.published(), number=number)
    rendered = content.render_issue_email(issue, get_language(), personal=False)
    return HttpResponse(rendered.html)
