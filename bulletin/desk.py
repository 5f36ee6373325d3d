"""Each role's desk on the admin home, and each staff member's own settings.

An editor's desk: articles waiting for review, this week's issue with its
readiness, and what other apps add (the newsletter adds its sends in progress
or paused, through `bulletin.admin.register_editor_panel`). An analyst's desk: their drafts,
what was returned to them with the comment, and what is stale in the
languages they translate.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bulletin import revisions, services
from bulletin.admin import EDITOR_DESK_PANELS
from bulletin.models import Article, Issue, StaffProfile, Transition
from bulletin.readiness import readiness_matrix


def profile_of(user) -> StaffProfile:
    """A staff member's profile; the defaults, unsaved, until they save their settings."""
    return StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)


def is_editor(user) -> bool:
    return user.has_perm(services.REVIEW_PERMISSION)


def current_issue():
    """The issue of this week, else the next one not yet published."""
    today = timezone.localdate()
    return (
        Issue.objects.filter(start_date__lte=today, end_date__gte=today).first()
        or Issue.objects.exclude(status=Issue.Status.PUBLISHED).order_by("start_date").first()
    )


def editor_desk(request) -> dict:
    issue = current_issue()
    panels = []
    for template_name, context in EDITOR_DESK_PANELS:
        values = context(request)
        if values is not None:
            panels.append((template_name, values))
    return {
        "role": "editor",
        "in_review": Article.objects.filter(status=Article.Status.REVIEW)
        .select_related("issue", "topic").order_by("updated_at")[:50],
        "issue": issue,
        "readiness": readiness_matrix(issue) if issue else None,
        "panels": panels,
    }


def analyst_desk(request) -> dict:
    user = request.user
    mine = Article.objects.filter(created_by=user).select_related("issue")
    drafts = list(mine.filter(status=Article.Status.DRAFT).order_by("-updated_at")[:50])
    returns = {}
    for transition in Transition.objects.filter(
        article__in=[a.pk for a in drafts], to_status=Article.Status.DRAFT,
        from_status__in=[Article.Status.REVIEW, Article.Status.APPROVED],
    ).select_related("user").order_by("at"):
        returns[transition.article_id] = transition  # the latest return wins
    languages = profile_of(user).translates
    stale = []
    if languages:
        unpublished = Article.objects.exclude(status=Article.Status.PUBLISHED).select_related(
            "issue").order_by("issue__start_date", "position")[:300]
        for article in unpublished:
            for code in languages:
                if article.translation_state(code) == "stale":
                    stale.append((article, code, revisions.stale_diff_url(article, code)))
    return {
        "role": "analyst",
        "drafts": [(a, returns.get(a.pk)) for a in drafts if a.pk not in returns],
        "returned": [(a, returns[a.pk]) for a in drafts if a.pk in returns],
        "stale": stale,
        "translates": languages,
    }


def desk_for(request) -> dict | None:
    user = request.user
    if is_editor(user):
        return editor_desk(request)
    if user.has_perm("bulletin.change_article"):
        return analyst_desk(request)
    return None


def desk_view(request, role):
    """One role's desk on its own page; the editor's is for editors only."""
    if role == "editor" and not is_editor(request.user):
        raise PermissionDenied(gettext("The editor's desk is for editors."))
    if not request.user.has_perm("bulletin.change_article"):
        raise PermissionDenied
    desk = editor_desk(request) if role == "editor" else analyst_desk(request)
    context = {**admin.site.each_context(request), "desk": desk, "title": desk_title(desk["role"])}
    return TemplateResponse(request, "admin/bulletin/desk_page.html", context)


def desk_title(role: str) -> str:
    return gettext("Editor's desk") if role == "editor" else gettext("My desk")


class PreferencesForm(forms.ModelForm):
    translates = forms.MultipleChoiceField(
        label=_("Languages I translate"), choices=settings.LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notices = forms.MultipleChoiceField(
        label=_("Email me when"), choices=StaffProfile.Notice.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StaffProfile
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["translates"].initial = self.instance.translates
        self.fields["notices"].initial = [
            value for value in StaffProfile.Notice.values if self.instance.wants(value)]

    def save(self, commit=True):
        self.instance.translates = self.cleaned_data["translates"]
        self.instance.muted = [
            value for value in StaffProfile.Notice.values
            if value not in self.cleaned_data["notices"]]
        return super().save(commit)


def preferences_view(request):
    """A staff member's own settings: email language, languages, notifications."""
    profile = profile_of(request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your settings are saved."))
        return redirect("staff_preferences")
    context = {**admin.site.each_context(request), "form": form, "title": gettext("My settings"),
               "has_email": bool(request.user.email)}
    return TemplateResponse(request, "admin/bulletin/preferences.html", context)
