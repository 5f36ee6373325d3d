"""The editorial admin: analysts draft and submit, editors review and publish.

Every workflow button and bulk action calls a service in `services.py`; the
service checks the permission again, so a crafted POST is refused just like a
missing button.
"""

import contextlib
import datetime
import functools

from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media as AssetMedia
from modeltranslation.admin import TabbedTranslationAdmin

from bulletin import diffs, images, revisions, services
from bulletin.errors import UserError
from bulletin.models import (
    Article,
    Author,
    Byline,
    Image,
    Issue,
    Language,
    Revision,
    Topic,
    Transition,
    language_codes,
)
from bulletin.readiness import readiness_matrix
from bulletin.sanitize import BODY_EXTENSIONS, LEAD_EXTENSIONS, bad_links, sanitize_html
from bulletin.translated import ARTICLE_FIELDS, IMAGE_FIELDS, per_language

# The editor's desk on the admin home (bulletin/desk.py) shows these panels that
# other apps add: (template name, function(request) -> its context, or None).
EDITOR_DESK_PANELS = []


def register_editor_panel(template_name: str, context) -> None:
    EDITOR_DESK_PANELS.append((template_name, context))


def _language_name(code):
    return str(dict(settings.LANGUAGES)[code])


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


# One language strip at the top of a form with translated fields (after
# modeltranslation's own script, which it drives).
LANGUAGE_STRIP_JS = ("modeltranslation/js/tabbed_translation_fields.js",
                     "bulletin/language_tabs.js")


ADMIN_CSS = {"all": ("bulletin/admin.css",)}


def clamped(text):
    """A long text in a list column: two lines at most on the page (admin.css),
    the whole of it in the title attribute."""
    text = str(text or "")
    return format_html('<span class="cell-clamp" title="{}">{}</span>', text, text) if text else "—"


class TranslatedAdmin(TabbedTranslationAdmin):
    """An admin of a translated model: modeltranslation's tabs driven by one
    language strip, and our admin stylesheet."""

    class Media:
        css = ADMIN_CSS
        js = LANGUAGE_STRIP_JS


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
class TopicAdmin(TranslatedAdmin):
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
class AuthorAdmin(TranslatedAdmin):
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


def author_names(ids, language=None) -> str:
    """The authors `ids`, in order, by their names in `language` (the admin's when
    None; the name they have when not translated), or "—"."""
    language = language or get_language()
    found = Author.objects.in_bulk(ids)
    names = [(found[i].name_in(language) or str(found[i])) if i in found else f"#{i}"
             for i in ids]
    return ", ".join(names) or "—"


class BylineFormSet(forms.BaseInlineFormSet):
    """The byline is part of the article's revisions: the formset hands the authors
    it will leave, in order, to the article being saved (`pending_author_ids`), so
    that services.article_save writes them with the text as one revision; and, like
    a field, they are refused when someone else changed them since the form was
    opened (ArticleAdmin.save_formset then writes nothing more)."""

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            # A row someone else removed since this form was opened: its hidden id
            # no longer matches (an error Django's inline would not even show).
            # What it meant is judged below by the revisions, which know who
            # changed the byline and when.
            if set(form.errors) == {"id"} and form.instance.pk is None:
                del form.errors["id"]
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            return  # the byline untouched: whatever it is now stays
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("author") or data.get("DELETE"):
                continue
            rows.append((data.get("position") or 0, form.instance.pk or 2**62, index,
                         data["author"].pk))
        ids = list(dict.fromkeys(row[-1] for row in sorted(rows)))
        article = self.instance
        article.pending_author_ids = ids
        if article.pk is None:
            return
        try:
            changes = services.article_changes(
                article=article, base_version=self.data.get("opened_version"),
                values={revisions.AUTHORS: ids})
        except services.EditConflict as exc:
            conflict = exc.conflicts[0]
            who = conflict.user or gettext("someone")
            when = timezone.localtime(conflict.at).strftime("%Y-%m-%d %H:%M") if (
                conflict.at) else "?"
            raise ValidationError(format_html(
                '{} <a href="{}">{}</a>',
                gettext("%(who)s changed the authors at %(when)s, after you opened the form; "
                        "nothing was saved. Their authors: %(theirs)s. Yours: %(mine)s.") % {
                    "who": who, "when": when, "theirs": author_names(conflict.theirs),
                    "mine": author_names(conflict.mine)},
                revisions.compare_url(article, exc.seen, exc.current),
                gettext("See their change"),
            )) from None
        except services.WorkflowError as exc:
            raise ValidationError(str(exc)) from None
        if (changes and article.status == Article.Status.PUBLISHED
                and not self.data.get("correction_reason", "").strip()):
            raise ValidationError(gettext(
                "This article is published: say what the correction is and why."))


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
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
    """Workflow buttons on the change page, and the one way they run a service.

    Save first. Where the user may edit the object, each workflow button is a
    submit button of the change form itself (`<button form="article_form"
    name="_workflow" value="submit">`; its extra inputs `comment`, `at` and
    `send_now` carry the same `form=` attribute). Django validates and saves the
    form exactly as for "Save" (`save_model`, `save_related`: a check added
    there runs before the action too), and only then `response_change` runs
    the action on the saved object. A form that does not validate comes back
    with its errors and the action is not run: nothing typed is lost.

    Where the page is read-only for the user, the buttons post to the POST-only
    workflow view instead (there is nothing to save). Both paths end in
    `run_workflow`; the service checks the permission and the state again.

    Actions in `confirm_actions` first show what will happen
    (`confirmation_lines`) and run only when posted again with `confirmed=1`;
    a crafted POST without it gets the same confirmation page.
    """

    workflow_services: dict = {}
    workflow_permissions: dict = {}  # action → permission checked before anything else
    confirm_actions: dict = {}  # action → label of the confirming button

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *self.get_extra_urls(),
            *super().get_urls(),
        ]

    def get_extra_urls(self):
        return []

    def _change_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.model, pk=object_id) if object_id.isdigit() else None
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        return self._workflow_response(request, obj, request.POST.get("action", ""))

    def response_change(self, request, obj):
        action = request.POST.get("_workflow")
        if action is None:
            return super().response_change(request, obj)
        messages.info(request, gettext("Your changes were saved."))
        return self._workflow_response(request, obj, action)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A page opened while the object could be edited, posted after it moved on
        # (a stale page, a second click): refuse, but give the text back.
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, object_id)
            if (obj is not None and not self.has_change_permission(request, obj)
                    and self.has_change_permission(request)):
                return TemplateResponse(request, "admin/bulletin/stale_edit.html", {
                    **self.admin_site.each_context(request),
                    "opts": self.opts, "original": obj, "title": gettext("Not saved"),
                    "change_url": self._change_url(obj),
                    "posted": [(name, request.POST[name]) for name in self.stale_text_fields()
                               if request.POST.get(name, "").strip()],
                }, status=403)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def stale_text_fields(self) -> list[str]:
        """The posted fields given back on a refused stale save."""
        return []

    def _workflow_response(self, request, obj, action):
        service = self.workflow_services.get(action)
        permission = self.workflow_permissions.get(action)
        if permission and not request.user.has_perm(permission):
            # Refused before anything is judged or confirmed; the service checks again.
            raise PermissionDenied
        if service is None:
            messages.error(request, gettext("Unknown workflow action."))
            return HttpResponseRedirect(self._change_url(obj))
        try:
            # A refusal known before asking (a stale page) is said at once, not after
            # "Are you sure?".
            self.workflow_precheck(request, obj, action)
            if self.needs_confirmation(request, obj, action):
                return self.confirmation_response(request, obj, action)
            self.run_workflow(request, obj, service, action)
        except UserError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.workflow_done_message(obj, action))
        return HttpResponseRedirect(self._change_url(obj))

    def workflow_precheck(self, request, obj, action):
        """Raise a UserError when `action` must be refused before anything is asked."""

    def workflow_done_message(self, obj, action):
        return gettext("Done: %(object)s is now %(status)s.") % {
            "object": obj, "status": obj.get_status_display().lower()}

    def needs_confirmation(self, request, obj, action) -> bool:
        return action in self.confirm_actions and request.POST.get("confirmed") != "1"

    def confirmation_lines(self, request, obj, action) -> list[str]:
        return []

    def confirmation_response(self, request, obj, action):
        """What `action` will do, and a button that posts it again, confirmed."""
        replay = [("action", action), ("confirmed", "1")] + [
            (name, request.POST[name]) for name in ("comment", "at", "send_now")
            if name in request.POST
        ]
        # The version the user saw goes along, so the confirmed action is checked
        # against it too (save first: the one save_model left; else the posted one).
        seen = getattr(obj, "seen_version", None) or request.POST.get("version")
        if seen:
            replay.append(("version", seen))
        return TemplateResponse(request, "admin/bulletin/confirm.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": obj,
            "title": gettext("Are you sure?"),
            "lines": self.confirmation_lines(request, obj, action),
            "post_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow", args=[obj.pk]),
            "replay": replay,
            "confirm_label": self.confirm_actions[action],
            "change_url": self._change_url(obj),
        })


class ArticleForm(forms.ModelForm):
    """The change form carries the version it was opened at, so that a save
    writes only what this user changed (services.article_save) and a clash with
    someone else's change is an error on the fields concerned, with both texts
    kept: theirs in the error, this user's in the form."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    correction_reason = forms.CharField(
        label=_("What was corrected, and why"), required=False, widget=forms.Textarea(
            attrs={"rows": 2}),
        help_text=_("Needed to save a change to a published article; kept in its history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or self.errors:
            return cleaned
        values = {name: cleaned[name] for name in revisions.revisioned_fields() if name in cleaned}
        try:
            changes = services.article_changes(
                article=self.instance, base_version=cleaned.get("opened_version"), values=values
            )
        except services.EditConflict as exc:
            for conflict in exc.conflicts:
                self.add_error(
                    conflict.field if conflict.field in self.fields else None,
                    ValidationError(_conflict_message(self.instance, exc, conflict)),
                )
            raise ValidationError(str(exc)) from None
        except services.WorkflowError as exc:
            raise ValidationError(str(exc)) from None
        if (changes and self.instance.status == Article.Status.PUBLISHED
                and not cleaned.get("correction_reason", "").strip()):
            self.add_error("correction_reason", gettext(
                "This article is published: say what the correction is and why."))
        return cleaned


def _conflict_message(article, exc, conflict):
    who = conflict.user or gettext("someone")
    when = timezone.localtime(conflict.at) if conflict.at else None
    field = conflict.field.rpartition("_")[0] if revisions.field_language(conflict.field) else (
        conflict.field)
    diff = (diffs.text_diff(field, str(conflict.mine or ""), str(conflict.theirs or ""))
            if isinstance(conflict.theirs, str) else None)
    return format_html(
        '{} <a href="{}">{}</a>{}',
        gettext("%(who)s changed this field at %(when)s, after you opened the form. Copy "
                "your text, reload the page and apply it again.") % {
            "who": who, "when": when.strftime("%Y-%m-%d %H:%M") if when else "?"},
        revisions.compare_url(article, exc.seen, exc.current,
                              revisions.field_language(conflict.field)),
        gettext("See their change"),
        format_html(
            '<div class="rev-diff" lang="{lang}"><span class="rev-legend">{label}</span> {text}'
            '</div><div class="rev-diff" lang="{lang}"><span class="rev-legend">{legend}</span> '
            '{diff}</div>',
            lang=revisions.field_language(conflict.field) or "", label=gettext("Their text:"),
            text=diffs.html_to_text(conflict.theirs) if field in ("lead", "body")
            else conflict.theirs,
            legend=gettext("Yours → theirs:"), diff=diff.html,
        ) if diff else "",
    )


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
class ImageAdmin(TranslatedAdmin):
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

    @admin.display(description=_("preview"))
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
    # The toolbar in the admin's language (static/bulletin/prose_i18n.js); no markup.
    extensions["TranslatedMenus"] = True
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
class ArticleAdmin(BoundedDatesAdminMixin, WorkflowAdminMixin, TranslatedAdmin):
    list_display = (
        "title_cell", "issue", "topic", "status_badge", "trend", "language_badges", "updated_at",
    )
    list_filter = ("status", "trend", "issue", "topic", MissingLanguageFilter)
    list_select_related = ("issue", "topic")
    search_fields = (*per_language(("title", "lead"), language_codes()), "authors__name_en", "slug")
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("title_en",)}
    form = ArticleForm
    readonly_fields = ("status", "published_at", "created_at", "updated_at", "corrected_at")
    autocomplete_fields = ("lead_image",)
    fieldsets = (
        (None, {"fields": ("issue", "topic", "slug", "trend", "position", "opened_version")}),
        (_("Text"), {"fields": (*ARTICLE_FIELDS, "lead_image")}),
        (_("Correction"), {"fields": ("correction_note", "corrected_at", "correction_reason"),
                           "classes": ("collapse",)}),
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
        "withdraw": services.article_withdraw,
        **{f"current_{code}": functools.partial(services.article_mark_current, language=code)
           for code in language_codes()},
    }
    workflow_permissions = {
        "approve": services.REVIEW_PERMISSION,
        "return": services.REVIEW_PERMISSION,
        "publish": services.PUBLISH_PERMISSION,
        "unpublish": services.PUBLISH_PERMISSION,
    }
    # Approving asks first only when a translation is stale (needs_confirmation).
    confirm_actions = {"publish": _("Yes, publish it"), "approve": _("Yes, approve it")}

    # Analysts edit drafts only; what is in review or beyond belongs to editors.
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.status == Article.Status.DRAFT or self.has_review_permission(
            request
        )

    # The rule is services.article_may_delete: never what was published; analysts
    # (who may edit articles, not delete them in general) only their own drafts.
    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            return services.article_may_delete(obj, request.user)
        return request.user.has_perm("bulletin.delete_article") or self.has_change_permission(
            request
        )

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            try:
                services.article_delete(article=article, user=request.user)
            except PermissionDenied as exc:
                messages.error(request, str(exc))

    def has_review_permission(self, request):
        return request.user.has_perm(services.REVIEW_PERMISSION)

    def get_queryset(self, request):
        # The language badges ask each row's images for alt text: two queries in all.
        return super().get_queryset(request).select_related("lead_image").prefetch_related(
            "images"
        )

    # The editor's import map and base styles are inline: this page's policy
    # (and only this page's) allows them by the response's nonce.
    @method_decorator(csp_update({"script-src": [NONCE], "style-src": [NONCE]}))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

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
        """Saved through services.article_save: a revision of what changed, and only
        this user's changes written. Afterwards `obj.seen_version` is the version
        this user has seen, for a workflow step taken right after the save."""
        if not change:
            obj.created_by = request.user
        saved = services.article_save(
            article=obj, user=request.user,
            base_version=form.cleaned_data.get("opened_version") if change else None,
            comment=form.cleaned_data.get("correction_reason", ""),
        )
        obj.seen_version = saved.seen_version
        if saved.merged:
            messages.info(request, gettext(
                "Changes others saved meanwhile were kept as well: %(fields)s.") % {
                "fields": ", ".join(_field_label(name) for name in saved.merged)})
        for name, field in form.fields.items():
            if getattr(field, "removed_links", None):
                messages.warning(request, gettext(
                    "%(field)s: these links were not web addresses (https://…) or email "
                    "addresses (mailto:…) and were removed, their text kept: %(links)s."
                ) % {"field": f"{field.label} ({name.rpartition('_')[2].upper()})",
                     "links": ", ".join(f"“{href}”" for href in field.removed_links)})

    def save_formset(self, request, form, formset, change):
        if formset.model is Byline:
            # Written by save_model (services.article_save), with the article's
            # revision; here only what the admin's history message needs.
            formset.save(commit=False)
            return
        super().save_formset(request, form, formset, change)

    def stale_text_fields(self):
        return [f"{field}_{code}" for code in language_codes()
                for field in ("title", "lead", "body")]

    @staticmethod
    def _seen_version(request, obj):
        # Save first (response_change): the form was just saved, and save_model left
        # the version this user has now seen (older than the saved one when someone
        # else's change was merged in unseen). The read-only path posts `version`.
        seen = getattr(obj, "seen_version", None)
        return request.POST.get("version") if seen is None else seen

    @staticmethod
    @contextlib.contextmanager
    def _stale_explained(obj):
        """A StaleVersion becomes a message with a link to what changed."""
        try:
            yield
        except services.StaleVersion as exc:
            if exc.seen is None:
                raise
            raise services.WorkflowError(format_html(
                '{} <a href="{}">{}</a>', str(exc),
                revisions.compare_url(obj, exc.seen, exc.current), gettext("See what changed"),
            )) from None

    def workflow_precheck(self, request, obj, action):
        with self._stale_explained(obj):
            services.article_check_version(article=obj,
                                           seen_version=self._seen_version(request, obj))

    def run_workflow(self, request, obj, service, action):
        with self._stale_explained(obj):
            service(article=obj, user=request.user, comment=request.POST.get("comment", ""),
                    seen_version=self._seen_version(request, obj))

    def get_extra_urls(self):
        return [
            path("<int:object_id>/revisions/compare/",
                 self.admin_site.admin_view(self.compare_view), name="bulletin_article_compare"),
            path("<int:object_id>/revisions/<int:number>/restore/",
                 self.admin_site.admin_view(self.restore_view), name="bulletin_article_restore"),
        ]

    def compare_view(self, request, object_id):
        """Two revisions side by side, per language, with the changed words marked."""
        article = get_object_or_404(Article.objects.select_related("issue"), pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        if not article.version and not request.GET:
            # Nothing recorded yet (an article older than revisions, not edited since).
            return HttpResponseRedirect(reverse("admin:bulletin_article_change",
                                                args=[article.pk]))
        numbers = []
        for key, default in (("from", max(article.version - 1, 1)), ("to", article.version)):
            raw = request.GET.get(key, str(default))
            if not raw.isdigit():
                raise Http404(gettext("No such revision."))
            numbers.append(int(raw))
        found = {r.number: r for r in article.revisions.filter(number__in=numbers)
                 .select_related("user")}
        if any(n not in found for n in numbers):
            raise Http404(gettext("This article has no such revision."))
        old, new = (found[n] for n in numbers)
        images_by_id = _compared_images(old, new)
        language = request.GET.get("language")
        codes = [language] if language in language_codes() else language_codes()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": article, "old": old, "new": new,
            "title": gettext("Compare revisions %(old)s and %(new)s") % {
                "old": old.number, "new": new.number},
            "languages": [_language_section(code, old, new, images_by_id) for code in codes],
            "others": _other_changes(old, new, images_by_id,
                                     language if language in language_codes() else None),
            "revision_numbers": list(article.revisions.values_list("number", flat=True)),
            "language": language if language in language_codes() else "",
            "all_languages": [(c, _language_name(c)) for c in language_codes()],
        }
        return TemplateResponse(request, "admin/bulletin/article/revision_compare.html", context)

    def restore_view(self, request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=object_id)
        if not request.user.has_perm(services.REVIEW_PERMISSION):
            raise PermissionDenied
        if not article.revisions.filter(number=number).exists() and article.version:
            raise Http404(gettext("This article has no such revision."))
        try:
            services.article_restore(article=article, number=number, user=request.user)
        except Revision.DoesNotExist:
            raise Http404(gettext("This article has no such revision.")) from None
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext(
                "Revision %(number)s restored; it is now the current text.") % {"number": number})
        return HttpResponseRedirect(reverse("admin:bulletin_article_change", args=[article.pk]))

    def needs_confirmation(self, request, obj, action):
        if action == "approve" and not self._stale_languages(obj):
            return False
        return super().needs_confirmation(request, obj, action)

    def _stale_languages(self, obj):
        return [_language_name(c) for c in language_codes() if obj.translation_state(c) == "stale"]

    def confirmation_lines(self, request, obj, action):
        if action == "approve":
            return [gettext("Approve “%(title)s”, in: %(languages)s.") % {
                "title": obj, "languages": ", ".join(_language_name(c) for c in obj.languages)},
                gettext("Warning: stale translations (the source changed after them): "
                        "%(languages)s.") % {"languages": ", ".join(self._stale_languages(obj))}]
        lines = [gettext("“%(title)s” goes live in issue %(number)s, in: %(languages)s.") % {
            "title": obj, "number": obj.issue.number,
            "languages": ", ".join(_language_name(c) for c in obj.languages)}]
        stale = self._stale_languages(obj)
        if stale:
            lines.append(gettext("Warning: stale translations (the source changed after them): "
                                 "%(languages)s.") % {"languages": ", ".join(stale)})
        return lines

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
                # Buttons submit the change form (save first) when it is editable.
                workflow_form=(f"{self.opts.model_name}_form"
                               if self.has_change_permission(request, obj) else ""),
                can_withdraw=services.article_may_withdraw(obj, user),
                can_mark_current=self.has_change_permission(request, obj),
                transitions=obj.transitions.select_related("user"),
                can_submit=status == "draft" and user.has_perm("bulletin.change_article"),
                can_approve=status == "review" and may_review,
                can_return=status in ("review", "approved") and may_review,
                can_publish=status == "approved" and may_publish
                and obj.issue.status == Issue.Status.PUBLISHED,
                can_unpublish=status == "published" and may_publish,
                translation_states=[
                    (code, _language_name(code), obj.translation_state(code),
                     revisions.stale_diff_url(obj, code))
                    for code in language_codes()
                ],
                revision_list=_revision_rows(obj),
                can_restore=may_review,
                preview_links=[
                    (_language_name(code), obj.url_in(code)) for code in obj.languages
                ],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("title"))
    def title_cell(self, obj):
        return clamped(obj)

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


def _field_label(name):
    image_code = revisions.image_field_language(name)
    if image_code:
        return f"{Article._meta.get_field('images').verbose_name} ({image_code})"
    code = revisions.field_language(name) or (
        name.rpartition("_")[2] if name.startswith("correction_note_") else None)
    base = name.rpartition("_")[0] if code else name
    label = str(Article._meta.get_field(base).verbose_name)
    return f"{label} ({code})" if code else label


def _revision_rows(article):
    rows = []
    for revision in article.revisions.select_related("user")[:100]:
        rows.append({
            "revision": revision,
            "changed": ", ".join(_field_label(name) for name in revision.changed),
            "compare_url": revisions.compare_url(article, revision.number - 1, revision.number)
            if revision.number > 1 else None,
            "restore_url": reverse("admin:bulletin_article_restore",
                                   args=[article.pk, revision.number]),
        })
    return rows


def _language_section(code, old, new, images_by_id):
    fields = []
    for field in revisions.TEXT_FIELDS:
        name = f"{field}_{code}"
        diff = diffs.text_diff(field, old.content.get(name, ""), new.content.get(name, ""))
        fields.append({"label": Article._meta.get_field(field).verbose_name, "diff": diff})
    # The byline, by the names readers of this language read.
    authors = None
    before, after = _recorded(old, new, revisions.AUTHORS)
    if before != after:
        authors = (author_names(before, code), author_names(after, code))
    # The uploaded images of this language's body: those added and those removed.
    before, after = _recorded(old, new, f"{revisions.IMAGES}_{code}")
    images_added = [_image_item(images_by_id, i, code) for i in after if i not in before]
    images_removed = [_image_item(images_by_id, i, code) for i in before if i not in after]
    return {"code": code, "name": _language_name(code), "fields": fields,
            "authors": authors, "images_added": images_added, "images_removed": images_removed,
            "changed": bool(any(f["diff"].changed for f in fields) or authors
                            or images_added or images_removed)}


def _recorded(old, new, name):
    """A recorded value in two revisions; one recorded before revisions knew the
    field is taken as the later one's (no change shown)."""
    after = new.content.get(name, [] if name != "lead_image" else None)
    return old.content.get(name, after), after


def _compared_images(old, new):
    """The Images either revision names (lead image, figures), in one query."""
    ids = {old.content.get("lead_image"), new.content.get("lead_image")}
    for revision in (old, new):
        for code in language_codes():
            ids.update(revision.content.get(f"{revisions.IMAGES}_{code}", []))
    return Image.objects.in_bulk([i for i in ids if i])


def _image_item(images_by_id, image_id, language):
    """An image as the compare view shows it: a thumbnail, its alt text in
    `language` (the admin's when None) and its number; a deleted one by number."""
    image = images_by_id.get(image_id)
    if image is None:
        return {"id": image_id, "url": "", "alt": gettext("(deleted image)")}
    language = language or get_language()
    return {"id": image_id, "url": image.file.url,
            "alt": image.localized("alt", language) or gettext("(no alt text in this language)")}


def _other_changes(old, new, images_by_id, language=None):
    rows = []
    for name in revisions.OTHER_FIELDS:
        if name == revisions.AUTHORS:
            continue  # in each language's section, by that language's names
        before, after = _recorded(old, new, name)
        if name == "lead_image" and before != after:
            rows.append((Article._meta.get_field(name).verbose_name,
                         _image_item(images_by_id, before, language) if before else None,
                         _image_item(images_by_id, after, language) if after else None, True))
            continue
        if before != after:
            if name == "topic":
                names = dict(Topic.objects.filter(pk__in=[before, after]).values_list(
                    "pk", "slug"))
                before, after = names.get(before, before), names.get(after, after)
            elif name == "issue":
                numbers = dict(Issue.objects.filter(pk__in=[before, after]).values_list(
                    "pk", "number"))
                before, after = numbers.get(before, before), numbers.get(after, after)
            rows.append((Article._meta.get_field(name).verbose_name, before, after, False))
    return rows


class IssueForm(forms.ModelForm):
    """Carries the issue's values as the form was opened (signed, so that a
    crafted POST cannot pretend to have seen something else), for the same
    field-by-field save as articles (services.issue_save)."""

    opened_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_state"].initial = signing.dumps(
                revisions.issue_snapshot(self.instance), salt=ISSUE_FORM_SALT)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or self.errors:
            return cleaned
        raw = cleaned.get("opened_state") or ""
        try:
            self.opened = signing.loads(raw, salt=ISSUE_FORM_SALT) if raw else None
        except signing.BadSignature:
            raise ValidationError(gettext(
                "The form sent a state it was not given; reload the page.")) from None
        mine = Issue(pk=self.instance.pk, **{
            name: cleaned[name] for name in revisions.issue_fields() if name in cleaned})
        try:
            services.issue_save(issue=mine, user=None, opened=self.opened, check_only=True)
        except services.EditConflict as exc:
            for conflict in exc.conflicts:
                when = timezone.localtime(conflict.at).strftime("%Y-%m-%d %H:%M")
                self.add_error(conflict.field if conflict.field in self.fields else None,
                               ValidationError(format_html(
                                   "{} <span class=\"rev-legend\">{}</span> {}",
                                   gettext("Someone changed this field at %(when)s, after you "
                                           "opened the form. Copy your text, reload the page "
                                           "and apply it again.") % {"when": when},
                                   gettext("Their text:"), conflict.theirs)))
            raise ValidationError(str(exc)) from None
        return cleaned


ISSUE_FORM_SALT = "bulletin.issue-form"
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

    def confirmation_lines(self, request, issue, action) -> list[str]:
        """What else an issue action (publishing) will do, for its confirmation page."""
        return []


_issue_panels: list[IssuePanel] = []


def register_issue_panel(panel: IssuePanel) -> None:
    _issue_panels.append(panel)


@admin.register(Issue)
class IssueAdmin(WorkflowAdminMixin, TranslatedAdmin):
    list_display = ("number", "period", "status_badge", "published_at", "article_summary")
    list_filter = ("status",)
    search_fields = ("number", *per_language(("title",), language_codes()))
    readonly_fields = ("status", "published_at", "end_date")
    form = IssueForm
    fields = ("number", "start_date", "end_date", "title", "summary", "status", "published_at",
              "opened_state")
    change_form_template = "admin/bulletin/issue/change_form.html"
    workflow_services = {
        "publish": services.issue_publish,
        "schedule": services.issue_publish,
        "unschedule": services.issue_unschedule,
    }
    workflow_permissions = dict.fromkeys(
        ("publish", "schedule", "unschedule"), services.PUBLISH_PERMISSION
    )
    confirm_actions = {"publish": _("Yes, publish now")}

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

    def get_readonly_fields(self, request, obj=None):
        # Its number is in every link that was sent: fixed once it is out.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == Issue.Status.PUBLISHED:
            return (*fields, "number")
        return fields

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

    def save_model(self, request, obj, form, change):
        """Field by field: what others saved meanwhile in other fields is kept."""
        services.issue_save(issue=obj, user=request.user, opened=getattr(form, "opened", None))
        if change:
            obj.refresh_from_db()

    @admin.display(description=_("period"), ordering="start_date")
    def period(self, obj):
        return obj.period_label()

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return overdue_badge(obj.get_status_display(), obj.status, obj.is_overdue)

    @admin.display(description=_("articles"))
    def article_summary(self, obj):
        return gettext("%(total)d (approved %(approved)d, published %(published)d)") % {
            "total": obj._articles, "approved": obj._approved, "published": obj._published}

    def run_workflow(self, request, obj, service, action):
        kwargs = {}
        if action == "schedule":
            kwargs["at"] = _parse_local_datetime(request.POST.get("at", ""))
        if action == "publish":
            kwargs["send_now"] = request.POST.get("send_now") == "1"
        service(issue=obj, user=request.user, **kwargs)
        obj.refresh_from_db()

    def confirmation_lines(self, request, obj, action):
        """Publishing now: which articles go live, in which languages, what stays out."""
        articles = list(obj.articles.all())
        approved = [a for a in articles if a.status == Article.Status.APPROVED]
        lines = [gettext("Issue %(number)s goes live with %(count)d approved article(s).")
                 % {"number": obj.number, "count": len(approved)}]
        for code in language_codes():
            have = [a for a in approved if a.has_language(code)]
            stale = [a for a in have if a.translation_state(code) == "stale"]
            line = gettext("%(language)s: %(count)d article(s)") % {
                "language": _language_name(code), "count": len(have)}
            if stale:
                line += " · " + gettext("%(count)d stale translation(s): %(titles)s") % {
                    "count": len(stale), "titles": "; ".join(str(a) for a in stale)}
            lines.append(line)
        left = len(articles) - len(approved) - sum(
            a.status == Article.Status.PUBLISHED for a in articles)
        if left:
            lines.append(gettext("%(count)d article(s) not approved stay unpublished.")
                         % {"count": left})
        for panel in _issue_panels:
            lines += panel.confirmation_lines(request, obj, action)
        return lines

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
                workflow_form=(f"{self.opts.model_name}_form"
                               if self.has_change_permission(request, obj) else ""),
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


def overdue_badge(label, status, overdue):
    """A status badge; "overdue" added when the scheduler missed its time."""
    if overdue:
        return format_html('<span class="wf-badge wf-{}">{}</span> '
                           '<span class="wf-badge wf-overdue">{}</span>',
                           status, label, gettext("overdue"))
    return format_html('<span class="wf-badge wf-{}">{}</span>', status, label)


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


class ToStatusFilter(admin.SimpleListFilter):
    """The step's new status, by its translated name (articles' and issues')."""

    title = _("to")
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        labels = {**dict(Issue.Status.choices), **dict(Article.Status.choices),
                  Transition.DELETED: _("deleted")}
        return list(labels.items())

    def queryset(self, request, queryset):
        return queryset.filter(to_status=self.value()) if self.value() else queryset


@admin.register(Transition)
class TransitionAdmin(BoundedDatesAdminMixin, ReadOnlyAdmin):
    list_display = ("at", "issue", "article_title", "user", "from_label", "to_label",
                    "comment_cell")
    list_filter = (ToStatusFilter,)
    list_select_related = ("issue", "article", "user")
    date_hierarchy = "at"

    class Media:
        css = ADMIN_CSS

    @admin.display(description=_("article"), ordering="article")
    def article_title(self, obj):
        return clamped(obj.article) if obj.article_id else self.get_empty_value_display()

    @admin.display(description=_("comment"))
    def comment_cell(self, obj):
        return clamped(obj.comment)

    @admin.display(description=_("from"), ordering="from_status")
    def from_label(self, obj):
        return obj.from_label

    @admin.display(description=_("to"), ordering="to_status")
    def to_label(self, obj):
        return obj.to_label
