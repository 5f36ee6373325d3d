"""Bulletin's content: languages, topics, weekly issues and their articles.

Text fields marked translated in `translation.py` get one column per language
(`title_en`, `title_be`, `title_ru`); reading `article.title` gives the active
language's value, with no fallback to another language.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin import periods
from bulletin.periods import period_label
from bulletin.querysets import ArticleQuerySet, IssueQuerySet, overdue_before
from bulletin.sanitize import body_image_ids, sanitize_html
from bulletin.text import breaks_a_header, clean_instance
from bulletin.translated import ARTICLE_FIELDS
from bulletin.urlcache import reader_url


def _recorded_user(**options):
    """Who did something, kept as a record: never edited in a form, and the
    record stays (with no one named) when the user is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, **options,
    )


def _image_name(instance, filename):
    # A random name: nothing about the uploader's file name (or its language) reaches a URL.
    return f"images/{uuid.uuid4().hex}.{instance.format_extension()}"


class ReaderPage:
    """A model with a page on the reader site: its URL in any language
    (reversed once per process: bulletin/urlcache.py)."""

    url_name = ""

    def url_kwargs(self) -> dict:
        raise NotImplementedError

    def get_absolute_url(self):
        return reader_url(self.url_name, **self.url_kwargs())

    def url_in(self, language: str) -> str:
        return reader_url(self.url_name, language, **self.url_kwargs())

class NamedPage(ReaderPage):
    """A topic or an author: a translated name, a slug, a page at `url_name`."""

    url_name = ""

    def __str__(self):
        return self.name or self.name_en or self.slug

    def url_kwargs(self) -> dict:
        return {"slug": self.slug}


class Image(models.Model):
    """An uploaded picture or chart, decoded and cleaned on upload (bulletin/images.py);
    its renditions are made afterwards by a Celery task."""

    file = models.ImageField(
        _("file"), upload_to=_image_name, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    format = models.CharField(_("format"), max_length=8, editable=False, blank=True)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    # [{"width": 480, "format": "webp", "name": "images/…-480.webp"}, …] (bulletin/images.py)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = _recorded_user(verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt or self.alt_en or self.caption or f"#{self.pk}"

    def format_extension(self) -> str:
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}.get(self.format, "img")

    def localized(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "") or ""

    # Where its files are (the storage's URLs; renditions from bulletin/images.py).

    @staticmethod
    def url_of(name: str, *, absolute: bool = False) -> str:
        url = default_storage.url(name)
        if absolute and url.startswith("/"):
            url = absolute_url(url)
        return url

    def srcset(self, format_name: str) -> str:
        """`srcset` of one format's renditions, plus the original at its own width
        (in its own format's set)."""
        items = [
            f"{self.url_of(r['name'])} {r['width']}w"
            for r in self.renditions
            if r["format"] == format_name
        ]
        if format_name == self.format.lower() or (
            format_name != "webp" and self.format in ("JPEG", "PNG", "GIF")
        ):
            items.append(f"{self.file.url} {self.width}w")
        return ", ".join(items)

    def fitting_src(self, max_width: int) -> tuple[str, int, int]:
        """The absolute URL, width and height to show this image with where WebP
        may not be understood (email, link previews, feeds): the widest fallback
        rendition that fits in `max_width`, else the original (shown that wide)."""
        fits = [r for r in self.renditions if r["format"] != "webp" and r["width"] <= max_width]
        if self.width <= max_width or not fits:
            width, name = min(self.width, max_width), self.file.name
        else:
            best = max(fits, key=lambda r: r["width"])
            width, name = best["width"], best["name"]
        height = round(self.height * width / self.width) if self.width else 0
        return self.url_of(name, absolute=True), width, height


# The fields an article needs in a language to "have" that language.


def _week_bounds_message() -> str:
    return _("Give a week between %(first)s and %(last)s.") % {
        "first": periods.FIRST_DAY.year, "last": periods.LAST_DAY.year}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def absolute_url(path: str) -> str:
    """`path` on the site's canonical address (SITE_URL): for feeds, the sitemap's
    robots line, emails and image URLs alike."""
    return settings.SITE_URL + path


# Text that goes into an email header (the sender's name, a subject): a line
# break there would end the header, so it is refused when saved.
HEADER_CONTROL_MESSAGE = _("Line breaks and other control characters are not allowed here.")


class Language(models.Model):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        choices=settings.LANGUAGES,
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("In the language itself."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_live = models.BooleanField(_("live on the site"), default=True)
    newsletter_enabled = models.BooleanField(_("newsletter goes out"), default=True)
    sender_name = models.CharField(
        _("sender name"), max_length=100, blank=True, help_text=_("Shown as the email sender.")
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        super().clean()
        if breaks_a_header(self.sender_name):
            raise ValidationError({"sender_name": HEADER_CONTROL_MESSAGE})


class Topic(NamedPage, models.Model):
    url_name = "bulletin:topic"

    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Author(NamedPage, models.Model):
    """A person who writes for the bulletin: their name and a short bio in each
    language, and a page per language listing their articles."""

    url_name = "bulletin:author"

    name = models.CharField(_("name"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def name_in(self, language: str) -> str:
        """The name as a reader of `language` reads it ("" when not translated)."""
        return getattr(self, f"name_{language}", "") or ""


class Issue(ReaderPage, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("number"), unique=True)
    start_date = models.DateField(_("week starts"), help_text=_("The Monday of the week covered."))
    end_date = models.DateField(_("week ends"), editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("editor's summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("publish_issue", _("Can publish and schedule issues"))]
        constraints = [
            # One issue per week: the week is named by its Monday.
            models.UniqueConstraint(
                fields=["start_date"],
                name="issue_one_per_week",
                violation_error_message=_("Another issue already covers this week."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__week_day=2),
                name="issue_starts_on_monday",
                violation_error_message=_("An issue starts on a Monday."),
            ),
            models.CheckConstraint(
                condition=Q(end_date=F("start_date") + datetime.timedelta(days=6)),
                name="issue_covers_one_week",
                violation_error_message=_("An issue covers one week, Monday to Sunday."),
            ),
        ]

    def __str__(self):
        return _("No. %(number)s · %(period)s") % {
            "number": self.number,
            "period": self.period_label(),
        }

    def save(self, *args, **kwargs):
        if self.start_date:
            if not periods.within_bounds(self.start_date):
                # clean() says so on a form; this stops code (which would overflow).
                raise ValidationError({"start_date": _week_bounds_message()})
            self.end_date = self.start_date + datetime.timedelta(days=6)
        super().save(*args, **kwargs)

    url_name = "bulletin:issue"

    def url_kwargs(self) -> dict:
        return {"number": self.number}

    @property
    def is_overdue(self) -> bool:
        """Scheduled, and its time passed minutes ago (see IssueQuerySet.overdue)."""
        return self.status == self.Status.SCHEDULED and self.published_at < overdue_before()

    def period_label(self, language=None, *, with_year=True):
        return period_label(self.start_date, self.end_date, language, with_year=with_year)

    def clean(self):
        if self.number is not None:
            # What PostgreSQL's integer column holds, on SQLite too (no 500 at save).
            try:
                MaxValueValidator(2**31 - 1)(self.number)
            except ValidationError as exc:
                raise ValidationError({"number": exc}) from None
        if self.start_date and not periods.within_bounds(self.start_date):
            raise ValidationError({"start_date": _week_bounds_message()})
        if self.start_date:
            self.end_date = self.start_date + datetime.timedelta(days=6)
        if self.start_date and self.start_date.weekday() != 0:
            raise ValidationError(
                {
                    "start_date": _("An issue covers a week from Monday to Sunday; %(date)s is "
                                    "not a Monday.") % {"date": self.start_date.isoformat()}
                }
            )


class Article(ReaderPage, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    class Trend(models.TextChoices):
        IMPROVED = "improved", _("The situation has improved")
        UNCHANGED = "unchanged", _("The situation has not changed")
        WORSENED = "worsened", _("The situation has worsened")

    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="articles", verbose_name=_("issue")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    trend = models.CharField(
        _("trend"), max_length=16, choices=Trend.choices, default=Trend.UNCHANGED
    )
    authors = models.ManyToManyField(
        Author, through="Byline", related_name="articles", blank=True, verbose_name=_("authors")
    )
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of",
        verbose_name=_("lead image"),
        help_text=_("Shown above the article, in the newsletter and when the article is shared."),
    )
    # The images the bodies show (any language): kept by save() from their figures.
    images = models.ManyToManyField(
        Image, blank=True, related_name="articles", editable=False, verbose_name=_("images")
    )
    position = models.PositiveSmallIntegerField(_("position in the issue"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When each language's text (title, lead, body) last changed: {"en": iso, ...}.
    # A translation is stale when English changed after it.
    text_changed_at = models.JSONField(default=dict, blank=True, editable=False)
    # The number of the article's latest revision: a form, a workflow button and an
    # approval carry the version they were made at (see bulletin/revisions.py).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # The revision at which each language's text last changed: {"be": 3, ...}; a
    # stale translation's diff runs from there to the current version.
    text_revisions = models.JSONField(default=dict, blank=True, editable=False)
    # A public note on a correction made after publication (translated).
    correction_note = models.TextField(
        _("correction note"), blank=True,
        help_text=_("Shown to readers at the end of the article, with its date."),
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = _recorded_user()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "topic__position", "position", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="article_slug_unique_in_issue"),
        ]
        permissions = [
            ("review_article", _("Can approve articles or return them to draft")),
        ]

    def __str__(self):
        return self.title or next(
            (t for t in (self.localized("title", c) for c in language_codes()) if t), self.slug
        )

    def save(self, *args, **kwargs):
        # Before the snapshot below (pre_save would clean only after it).
        clean_instance(self)
        for code in language_codes():
            for field in ("lead", "body"):
                name = f"{field}_{code}"
                value = getattr(self, name, None)
                if value:
                    setattr(self, name, sanitize_html(value, field))
        now = timezone.now().isoformat()
        before = getattr(self, "_loaded_text", {})
        after = self._text_snapshot()
        changed = dict(self.text_changed_at or {})
        for code, text in after.items():
            if any(text) and before.get(code) != text:
                changed[code] = now
        self.text_changed_at = changed
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_text = after
        if before != after:
            used = body_image_ids(*(self.localized("body", c) for c in language_codes()))
            # A figure may name an image since deleted (a draft's): it shows no more.
            self.images.set(Image.objects.filter(pk__in=used).values_list("pk", flat=True))
        self._remember_old_url()

    url_name = "bulletin:article"

    def url_kwargs(self) -> dict:
        return {"number": self.issue.number, "slug": self.slug}

    def _remember_old_url(self):
        """A published article whose slug or issue changed keeps answering at its
        old address (301, every language, forever): links to it were sent."""
        before = getattr(self, "_loaded_place", None)
        now = (self.issue_id, self.slug)
        self._loaded_place = now
        if before is None or before == now or not self.published_at:
            return
        number = Issue.objects.filter(pk=before[0]).values_list("number", flat=True).first()
        if number is not None:
            ArticleOldURL.objects.update_or_create(
                number=number, slug=before[1], defaults={"article": self}
            )
        ArticleOldURL.objects.filter(number=self.issue.number, slug=self.slug).delete()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_text = instance._text_snapshot()
        instance._loaded_place = (
            instance.__dict__.get("issue_id"), instance.__dict__.get("slug")
        )
        return instance

    def localized(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "") or ""

    def _text_snapshot(self):
        return {
            code: tuple(self.__dict__.get(f"{f}_{code}") for f in ARTICLE_FIELDS)
            for code in language_codes()
        }

    def has_language(self, language: str) -> bool:
        return all(self.localized(f, language).strip() for f in ARTICLE_FIELDS)

    @property
    def languages(self) -> list[str]:
        return [code for code in language_codes() if self.has_language(code)]

    def translation_state(self, language: str) -> str:
        """missing, stale (English changed after this translation), no_alt (its
        text is there but an image it shows has no alternative text in this
        language) or ready. Reads `images` (prefetch it for lists) and `lead_image`."""
        if not self.has_language(language):
            return "missing"
        source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        if language != source and self.has_language(source):
            changed = self.text_changed_at
            if changed.get(source, "") > changed.get(language, ""):
                return "stale"
        if self.images_without_alt(language):
            return "no_alt"
        return "ready"

    def images_without_alt(self, language: str) -> list["Image"]:
        """The images this language's version shows (lead image, body figures)
        that have no alternative text in that language."""
        shown = body_image_ids(self.localized("body", language))
        found = [image for image in self.images.all() if image.pk in shown]
        if self.lead_image_id:
            found.append(self.lead_image)
        return [image for image in found if not image.localized("alt", language).strip()]

    def clean(self):
        if self.pk is None and not self.languages and not any(
            self.localized("title", c) for c in language_codes()
        ):
            raise ValidationError(_("Give the article a title in at least one language."))


class ArticleOldURL(models.Model):
    """An address a published article had before its slug or issue changed:
    /<lang>/issues/<number>/<slug>/ answers with a 301 to where it is now."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_urls")
    number = models.PositiveIntegerField(_("issue number"))
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        verbose_name = _("old article address")
        verbose_name_plural = _("old article addresses")
        constraints = [
            models.UniqueConstraint(fields=["number", "slug"], name="article_old_url_unique"),
        ]

    def __str__(self):
        return f"{self.number}/{self.slug} → {self.article_id}"


class Byline(models.Model):
    """An author of an article, in the order the byline names them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self):
        return str(self.author)


class Transition(models.Model):
    """One step of the editorial workflow: who moved what, when, from, to, why.

    A deleted article's steps stay, with `article` empty and its title in
    `article_label` (services.article_delete), and the deletion is a step too.
    """

    DELETED = "deleted"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="transitions",
                              verbose_name=_("issue"))
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, related_name="transitions", null=True, blank=True,
        verbose_name=_("article"),
    )
    article_label = models.CharField(_("deleted article"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("Who"),
    )
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    comment = models.TextField(_("comment"), blank=True)
    # The article's version the user saw when pressing the button (approve what you saw).
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"

    def _status_label(self, status: str) -> str:
        """A status as people read it, in the active language (an article's step
        or an issue's, and the deletion of an article)."""
        if status == self.DELETED:
            return str(_("deleted"))
        choices = Issue.Status if self.article_id is None and not self.article_label else (
            Article.Status)
        return str(dict(choices.choices).get(status, status))

    @property
    def from_label(self) -> str:
        return self._status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._status_label(self.to_status)


class Revision(models.Model):
    """One saved state of an article's content, numbered per article from 1.

    `content` holds every revisioned field (bulletin/revisions.py says which);
    `changed` the ones that differ from the revision before.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        RESTORED = "restored", _("Restored")
        CORRECTED = "corrected", _("Corrected after publication")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EDITED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    content = models.JSONField(default=dict)
    changed = models.JSONField(default=list)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}


class StaffProfile(models.Model):
    """A staff member's own settings: the language of their emails, the languages
    they translate, and the notifications they turned off."""

    class Notice(models.TextChoices):
        SUBMITTED = "submitted", _("An article is submitted for review (editors)")
        RETURNED = "returned", _("My article is returned to draft")
        APPROVED = "approved", _("My article is approved")
        PUBLISHED = "published", _("My article is published")
        DISPATCH_PAUSED = "dispatch_paused", _("A newsletter send is paused (editors)")
        DISPATCH_FAILED = "dispatch_failed", _("A newsletter send finished with failures (editors)")
        DISPATCH_STOPPED = "dispatch_stopped", _(
            "A newsletter send stopped itself: too many failures (editors)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    language = models.CharField(
        _("language of my emails"), max_length=8, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translates = models.JSONField(_("languages I translate"), default=list, blank=True)
    muted = models.JSONField(_("notifications turned off"), default=list, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)

    def wants(self, notice: str) -> bool:
        return notice not in self.muted
