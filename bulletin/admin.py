"""The editorial admin: analysts draft and submit, editors review and publish.

Every workflow button and bulk action calls a service in `services.py`; the
service checks the permission again, so a crafted POST is refused just like a
missing button.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media as AssetMedia
from modeltranslation.admin import TabbedTranslationAdmin

from bulletin import images, services
from bulletin.errors import UserError
from bulletin.models import (
    Article,
    Author,
    Byline,
    Image,
    Issue,
    Language,
    Topic,
    Transition,
    language_codes,
)
from bulletin.readiness import readiness_matrix
from bulletin.sanitize import BODY_EXTENSIONS, LEAD_EXTENSIONS, bad_links, sanitize_html
from bulletin.translated import ARTICLE_FIELDS, IMAGE_FIELDS, per_language


def _language_name(code):
    return dict(settings.LANGUAGES)[code]


class BoundedDateChangeList(ChangeList):
    """Django's date hierarchy computes "the next year/month/day" of what the URL
    names, and fails with a 500 on ?created_at__year=9999 (OverflowError). A year
    the calendar cannot step past is bad input: the admin's own "invalid
    lookup" answer (a redirect with ?e=1), like any other bad filter."""

    def get_filters(self, request):
        if self.date_hierarchy:
            year = request.GET.get(f"{self.date_hierarchy}__year")
            if year is not None and not (year.isdigit() and 1 < int(year) < 9999):
                raise IncorrectLookupParameters(f"year out of range: {year[:20]!r}")
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class BoundedDatesAdminMixin:
    """For every ModelAdmin with a date_hierarchy (BoundedDateChangeList)."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "position", "is_live", "newsletter_enabled", "sender_name")
    list_editable = ("position", "is_live", "newsletter_enabled")
    ordering = ("position",)


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "slug", "position", "article_count")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = (*per_language(("name",), language_codes()), "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_articles=Count("articles"))

    @admin.display(description=_("articles"), ordering="_articles")
    def article_count(self, obj):
        return obj._articles


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "slug", "name_languages", "article_count")
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ("name_en", "name_be", "name_ru", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_articles=Count("bylines"))

    @admin.display(description=_("articles"), ordering="_articles")
    def article_count(self, obj):
        return obj._articles

    @admin.display(description=_("name in"))
    def name_languages(self, obj):
        # A name missing in a language shows as a missing badge, as articles do.
        return format_html_join(
            " ",
            '<span class="lang-badge lang-{}" title="{}">{}</span>',
            (
                ("ready" if obj.name_in(code) else "missing",
                 gettext("translated") if obj.name_in(code) else gettext("missing"), code.upper())
                for code in language_codes()
            ),
        )


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ("author",)
    verbose_name = _("author")
    verbose_name_plural = _("authors")


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, _language_name(code)) for code in language_codes()]

    def queryset(self, request, queryset):
        if self.value() in language_codes():
            return queryset.missing_language(self.value())
        return queryset


class WorkflowAdminMixin:
    """A POST-only view per object that runs one workflow service and reports back."""

    workflow_services: dict = {}

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.model, pk=object_id) if object_id.isdigit() else None
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        service = self.workflow_services.get(request.POST.get("action", ""))
        if service is None:
            messages.error(request, gettext("Unknown workflow action."))
        else:
            try:
                self.run_workflow(request, obj, service)
            except UserError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, gettext("Done: %(object)s is now %(status)s.") % {
                    "object": obj, "status": obj.get_status_display().lower()})
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        return HttpResponseRedirect(change_url)


class ImageForm(forms.ModelForm):
    """The upload is decoded and cleaned (bulletin/images.py) before anything is stored."""

    # A plain file field: bulletin/images.py judges the content, with its own messages.
    file = forms.FileField(
        label=_("file"),
        help_text=_("JPEG, PNG, WebP or GIF. Location and camera data are removed on upload."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,"
                                                         "image/gif"}),
        allow_empty_file=True,
    )

    class Meta:
        model = Image
        fields = ("file", "alt", "caption", "credit")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or upload is False or not hasattr(upload, "content_type"):
            return upload  # unchanged (editing alt text of an existing image)
        cleaned = images.image_decode(upload)
        self.instance.format = cleaned.format
        return SimpleUploadedFile(
            f"upload.{self.instance.format_extension()}", cleaned.content,
            content_type=images.mime_type(self.instance.format_extension())
        )


@admin.register(Image)
class ImageAdmin(TabbedTranslationAdmin):
    form = ImageForm
    list_display = ("thumbnail", "__str__", "credit", "size", "rendition_count", "uploaded_by",
                    "uploaded_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_en", "alt_be", "alt_ru", "caption_en", "caption_be", "caption_ru",
                     "credit_en", "credit_be", "credit_ru")
    readonly_fields = ("preview", "size", "uploaded_by", "uploaded_at", "used_in")
    fieldsets = (
        (None, {"fields": ("file", "preview", "size")}),
        (_("Text"), {"fields": IMAGE_FIELDS}),
        (_("Use"), {"fields": ("used_in", "uploaded_by", "uploaded_at")}),
    )

    def get_urls(self):
        return [
            path("picker/", self.admin_site.admin_view(self.picker_view),
                 name="bulletin_image_picker"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            transaction.on_commit(lambda: images.queue_renditions(obj.pk))

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "POST":
            try:
                images.image_check_deletable(obj)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return HttpResponseRedirect(
                    reverse("admin:bulletin_image_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for article in images.image_published_uses(image):
                protected.append(gettext("%(image)s: used by the published article "
                                         "“%(article)s”") % {"image": image, "article": article})
        return deleted, counts, perms_needed, protected

    def delete_queryset(self, request, queryset):
        for image in queryset:
            images.image_check_deletable(image)
        super().delete_queryset(request, queryset)

    def picker_view(self, request):
        """The editor's “Browse…” popup: pick an uploaded image or upload one."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = request.GET.get("lang", "")
        if language not in language_codes():
            language = settings.LANGUAGE_CODE
        form = None
        if self.has_add_permission(request):
            form = ImageForm(request.POST or None, request.FILES or None)
            if request.method == "POST" and form.is_valid():
                image = form.save(commit=False)
                image.uploaded_by = request.user
                setattr(image, f"alt_{language}", form.cleaned_data.get("alt", ""))
                setattr(image, f"caption_{language}", form.cleaned_data.get("caption", ""))
                setattr(image, f"credit_{language}", form.cleaned_data.get("credit", ""))
                image.save()
                transaction.on_commit(lambda: images.queue_renditions(image.pk))
                messages.success(request, gettext("Uploaded. Choose it below."))
                return HttpResponseRedirect(request.get_full_path())
        listed = [
            {
                "image": image,
                "url": image.file.url,
                "alt": image.localized("alt", language),
                "caption": image.localized("caption", language),
            }
            for image in Image.objects.all()[:200]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Choose an image"),
            "images": listed,
            "form": form,
            "language": language,
            "language_name": _language_name(language),
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
        }
        return render(request, "admin/bulletin/image/picker.html", context)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return format_html('<img class="image-thumb" src="{}" alt="" width="80">', obj.file.url)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<img class="image-preview" src="{}" alt="" width="{}">',
                           obj.file.url, min(obj.width, 480))

    @admin.display(description=_("size"))
    def size(self, obj):
        if not obj.pk:
            return "—"
        return gettext("%(width)d × %(height)d px, %(format)s") % {
            "width": obj.width, "height": obj.height, "format": obj.format}

    @admin.display(description=_("renditions"))
    def rendition_count(self, obj):
        return len(obj.renditions)

    @admin.display(description=_("used in"))
    def used_in(self, obj):
        if not obj.pk:
            return "—"
        articles = images.image_uses(obj)
        if not articles:
            return gettext("Not used yet.")
        return format_html_join(
            ", ", '<a href="{}">{}</a> ({})',
            ((reverse("admin:bulletin_article_change", args=[a.pk]), str(a),
              a.get_status_display()) for a in articles),
        )

    class Media:
        css = {"all": ("bulletin/admin.css",)}


class RichTextField(ProseEditorFormField):
    """The editor's field: the allow-list applied on clean; a link that is not a
    web or email address is removed (its text kept) and remembered, so that the
    admin says which (ArticleAdmin.save_model) instead of dropping it silently."""

    removed_links: list[str] = []

    def clean(self, value):
        self.removed_links = bad_links(value or "")
        return super().clean(value)


def _editor_field(kind: str, language: str):
    """A rich-text field for `kind` ("body" or "lead") in one language's tab: the
    toolbar from bulletin/sanitize.py, the same allow-list applied on clean."""
    extensions = dict(BODY_EXTENSIONS if kind == "body" else LEAD_EXTENSIONS)
    if "Figure" in extensions:
        extensions["Figure"] = {
            "pickerUrl": reverse("admin:bulletin_image_picker") + f"?lang={language}"
        }
    return RichTextField(
        config={"extensions": extensions},
        preset="configurable",
        widget=AdminProseEditorWidget,
        sanitize=lambda html: sanitize_html(html, kind),
        required=False,
    )


@admin.register(Article)
class ArticleAdmin(BoundedDatesAdminMixin, WorkflowAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "__str__", "issue", "topic", "status_badge", "trend", "language_badges", "updated_at",
    )
    list_filter = ("status", "trend", "issue", "topic", MissingLanguageFilter)
    list_select_related = ("issue", "topic")
    search_fields = (*per_language(("title", "lead"), language_codes()), "authors__name_en", "slug")
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("status", "published_at", "created_at", "updated_at")
    autocomplete_fields = ("lead_image",)
    fieldsets = (
        (None, {"fields": ("issue", "topic", "slug", "trend", "position")}),
        (_("Text"), {"fields": (*ARTICLE_FIELDS, "lead_image")}),
        (_("State"), {"fields": ("status", "published_at", "created_at", "updated_at")}),
    )
    inlines = [BylineInline]
    actions = ["submit_selected", "approve_selected"]
    change_form_template = "admin/bulletin/article/change_form.html"
    workflow_services = {
        "submit": services.article_submit,
        "approve": services.article_approve,
        "return": services.article_return,
        "publish": services.article_publish,
        "unpublish": services.article_unpublish,
    }

    # Analysts edit drafts only; what is in review or beyond belongs to editors.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.status == Article.Status.DRAFT or self.has_review_permission(
            request
        )

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.status != Article.Status.PUBLISHED

    def has_review_permission(self, request):
        return request.user.has_perm(services.REVIEW_PERMISSION)

    def get_queryset(self, request):
        # The language badges ask each row's images for alt text: two queries in all.
        return super().get_queryset(request).select_related("lead_image").prefetch_related(
            "images"
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline <script>: it carries this
        # response's CSP nonce, nothing else inline is allowed.
        context["media"] = AssetMedia.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        kind, _sep, language = db_field.name.rpartition("_")
        if field is not None and kind in ("body", "lead") and language in language_codes():
            editor = _editor_field(kind, language)
            # modeltranslation's tabs find a field by its widget's classes.
            editor.widget.attrs.update(field.widget.attrs)
            editor.label, editor.help_text = field.label, field.help_text
            return editor
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        for name, field in form.fields.items():
            if getattr(field, "removed_links", None):
                messages.warning(request, gettext(
                    "%(field)s: these links were not web addresses (https://…) or email "
                    "addresses (mailto:…) and were removed, their text kept: %(links)s."
                ) % {"field": f"{field.label} ({name.rpartition('_')[2].upper()})",
                     "links": ", ".join(f"“{href}”" for href in field.removed_links)})

    def run_workflow(self, request, obj, service):
        service(article=obj, user=request.user, comment=request.POST.get("comment", ""))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            user = request.user
            may_review = user.has_perm(services.REVIEW_PERMISSION)
            may_publish = user.has_perm(services.PUBLISH_PERMISSION)
            status = obj.status
            extra_context.update(
                workflow_url=reverse("admin:bulletin_article_workflow", args=[obj.pk]),
                transitions=obj.transitions.select_related("user"),
                can_submit=status == "draft" and user.has_perm("bulletin.change_article"),
                can_approve=status == "review" and may_review,
                can_return=status in ("review", "approved") and may_review,
                can_publish=status == "approved" and may_publish
                and obj.issue.status == Issue.Status.PUBLISHED,
                can_unpublish=status == "published" and may_publish,
                translation_states=[
                    (code, _language_name(code), obj.translation_state(code))
                    for code in language_codes()
                ],
                preview_links=[
                    (_language_name(code), obj.url_in(code)) for code in obj.languages
                ],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="wf-badge wf-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("languages"))
    def language_badges(self, obj):
        return format_html_join(
            " ",
            '<span class="lang-badge lang-{}" title="{}">{}</span>',
            (
                (obj.translation_state(code), obj.translation_state(code), code.upper())
                for code in language_codes()
            ),
        )

    def _bulk(self, request, queryset, service, done_message):
        done = 0
        for article in queryset:
            try:
                service(article=article, user=request.user)
            except UserError as exc:
                messages.error(request, str(exc))
            else:
                done += 1
        if done:
            messages.success(request, done_message % {"count": done})

    @admin.action(description=_("Submit selected articles for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_submit,
                   gettext("%(count)d article(s) submitted for review."))

    @admin.action(description=_("Approve selected articles"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_approve,
                   gettext("%(count)d article(s) approved."))

    class Media:
        css = {"all": ("bulletin/admin.css",)}


class IssuePanel:
    """A panel another app adds to the issue page, without replacing IssueAdmin:
    its template is included under the workflow box, `context()` fills it, and
    `urls()` adds views under /admin/bulletin/issue/. Register one with
    `register_issue_panel(panel)` when the app's admin module is imported."""

    template = ""

    def urls(self, admin_view) -> list:
        """URL patterns; wrap each view in `admin_view` (login and staff checks)."""
        return []

    def context(self, request, issue) -> dict:
        """Extra context for the issue page; {} leaves the panel out."""
        return {}


_issue_panels: list[IssuePanel] = []


def register_issue_panel(panel: IssuePanel) -> None:
    _issue_panels.append(panel)


@admin.register(Issue)
class IssueAdmin(WorkflowAdminMixin, TabbedTranslationAdmin):
    list_display = ("number", "period", "status", "published_at", "article_summary")
    list_filter = ("status",)
    search_fields = ("number", *per_language(("title",), language_codes()))
    readonly_fields = ("status", "published_at", "end_date")
    fields = ("number", "start_date", "end_date", "title", "summary", "status", "published_at")
    change_form_template = "admin/bulletin/issue/change_form.html"
    workflow_services = {
        "publish": services.issue_publish,
        "schedule": services.issue_publish,
        "unschedule": services.issue_unschedule,
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _articles=Count("articles"),
                _approved=Count("articles", filter=Q(articles__status="approved")),
                _published=Count("articles", filter=Q(articles__status="published")),
            )
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        latest = Issue.objects.order_by("-start_date").first()
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        if latest:
            initial.setdefault("number", latest.number + 1)
            monday = max(monday, latest.start_date + datetime.timedelta(days=7))
        initial.setdefault("start_date", monday)
        return initial

    @admin.display(description=_("period"), ordering="start_date")
    def period(self, obj):
        return obj.period_label()

    @admin.display(description=_("articles"))
    def article_summary(self, obj):
        return gettext("%(total)d (approved %(approved)d, published %(published)d)") % {
            "total": obj._articles, "approved": obj._approved, "published": obj._published}

    def run_workflow(self, request, obj, service):
        action = request.POST.get("action")
        kwargs = {}
        if action == "schedule":
            # Whether the user may schedule at all is answered (403) before what
            # they typed is judged; the service checks it again.
            if not request.user.has_perm(services.PUBLISH_PERMISSION):
                raise PermissionDenied(gettext("Only editors may publish or schedule issues."))
            kwargs["at"] = _parse_local_datetime(request.POST.get("at", ""))
        if action == "publish":
            kwargs["send_now"] = request.POST.get("send_now") == "1"
        service(issue=obj, user=request.user, **kwargs)
        obj.refresh_from_db()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [url for panel in _issue_panels for url in panel.urls(view)] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            panels = []
            for panel in _issue_panels:
                panel_context = panel.context(request, obj)
                if panel_context:
                    extra_context.update(panel_context)
                    panels.append(panel)
            extra_context.update(
                issue_panels=panels,
                workflow_url=reverse("admin:bulletin_issue_workflow", args=[obj.pk]),
                may_publish=request.user.has_perm(services.PUBLISH_PERMISSION),
                readiness=readiness_matrix(obj),
                issue_transitions=obj.transitions.filter(article__isnull=True).select_related(
                    "user"
                ),
                preview_links=[(_language_name(c), _issue_url(obj, c)) for c in language_codes()],
                default_schedule=(timezone.localtime() + datetime.timedelta(hours=1))
                .replace(minute=0, second=0, microsecond=0)
                .strftime("%Y-%m-%dT%H:%M"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    class Media:
        css = {"all": ("bulletin/admin.css",)}


def _issue_url(issue, code):
    from django.utils.translation import override

    with override(code):
        return issue.get_absolute_url()


def _parse_local_datetime(value: str) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC, as it is stored: 9999-12-31 23:59-12:00 is past the calendar's end.
        parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise services.WorkflowError(
            gettext("Give the publication time as a date and time, e.g. 2026-11-30 09:00.")
        ) from None
    if parsed <= timezone.now():
        raise services.WorkflowError(
            gettext("The scheduled time has passed; choose a future time or publish now.")
        )
    return parsed


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody edits by hand: the workflow's and the ledger's."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(BoundedDatesAdminMixin, ReadOnlyAdmin):
    list_display = ("at", "issue", "article", "user", "from_status", "to_status", "comment")
    list_filter = ("to_status",)
    list_select_related = ("issue", "article", "user")
    date_hierarchy = "at"
