"""Uploaded images: decoded and cleaned on upload, renditions made by a worker,
and the HTML a page or an email shows them with.

An upload is accepted only when Pillow decodes it whole as JPEG, PNG, WebP or
GIF within the size and pixel limits (IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS); it
is then re-encoded without its metadata (EXIF with GPS, XMP, comments), the
orientation applied. Renditions (IMAGE_RENDITION_WIDTHS, WebP plus the
original's format) are made by the task `bulletin.tasks.image_renditions` after commit;
until they exist pages show the original.
"""

import html as html_module
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html, mark_safe
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
    "GIF": {},
}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    format: str
    width: int
    height: int


def image_decode(upload) -> CleanImage:
    """Decode `upload` (a file object) whole and re-encode it without metadata.
    Raises ValidationError with a message for the person who uploaded it."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.IMAGE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; images may be at most %(limit)s MB.")
            % {"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            code="too_big",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    accepted = _("Upload a JPEG, PNG, WebP or GIF image.")
    try:
        with warnings.catch_warnings():
            # Pillow's DecompressionBombWarning becomes an error: no half-measures.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = picture.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(_too_many_pixels(width, height), code="pixels")
            picture.load()
            frames = getattr(picture, "n_frames", 1)
            if width * height * frames > settings.IMAGE_MAX_PIXELS * 4:
                raise ValidationError(_too_many_pixels(width, height), code="pixels")
            return _reencode(picture, picture.format)
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(_too_many_pixels(), code="pixels") from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This file is not an image we accept. %(accepted)s") % {"accepted": accepted},
            code="format",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("The image is damaged or incomplete; export it again and upload the new file."),
            code="damaged",
        ) from None


def _too_many_pixels(width=None, height=None) -> str:
    if width is None:
        return _("The image has too many pixels; at most %(limit)s megapixels are accepted.") % {
            "limit": settings.IMAGE_MAX_PIXELS // 10**6}
    return _(
        "The image is %(width)s × %(height)s pixels; at most %(limit)s megapixels are accepted."
    ) % {"width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS // 10**6}


def _reencode(picture, format_name) -> CleanImage:
    out = io.BytesIO()
    animated = getattr(picture, "is_animated", False)
    if animated:
        # Frames kept; frame metadata (comments, XMP) is not copied by save().
        picture.save(out, format=format_name, save_all=True, **_SAVE_OPTIONS[format_name])
        width, height = picture.size
    else:
        clean = ImageOps.exif_transpose(picture)
        if format_name == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        # Nothing of the original's info (EXIF, XMP, ICC, text chunks) goes along.
        fresh = clean.copy()
        fresh.info = {k: v for k, v in clean.info.items() if k in ("transparency",)}
        fresh.save(out, format=format_name, **_SAVE_OPTIONS[format_name])
        width, height = fresh.size
    return CleanImage(content=out.getvalue(), format=format_name, width=width, height=height)


def image_create(*, upload, user=None, **fields):
    """Store a new Image from an uploaded file (decoded and cleaned first) and
    queue its renditions after commit. Raises ValidationError for a bad file."""
    from bulletin.models import Image

    cleaned = image_decode(upload)
    with transaction.atomic():
        image = Image(uploaded_by=user, format=cleaned.format, **fields)
        image.file.save("upload", ContentFile(cleaned.content), save=False)
        image.width, image.height = cleaned.width, cleaned.height
        image.save()
        transaction.on_commit(lambda: queue_renditions(image.pk))
    return image


def queue_renditions(image_id):
    """Ask a worker for the image's renditions (call it after commit). By the
    task's name: nothing imports a tasks module
    (docs/ARCHITECTURE.md). Without a broker (the embedded default runs tasks
    in-process) they are made here and now."""
    from celery import current_app

    if current_app.conf.task_always_eager:
        image_make_renditions(image_id)
    else:
        current_app.send_task(RENDITIONS_TASK, args=[image_id])


RENDITIONS_TASK = "bulletin.tasks.image_renditions"


def image_uses(image):
    """The articles that show `image`, as lead image or in a body figure."""
    from bulletin.models import Article

    return list(
        Article.objects.filter(Q(lead_image=image) | Q(images=image)).distinct().order_by("pk")
    )


def image_published_uses(image):
    return [a for a in image_uses(image) if a.status == a.Status.PUBLISHED]


def image_check_deletable(image) -> None:
    """Refuse (ValidationError) to delete an image a published article shows."""
    used = image_published_uses(image)
    if used:
        raise ValidationError(
            _("“%(image)s” cannot be deleted: published articles show it: %(articles)s.")
            % {"image": image, "articles": "; ".join(f"“{a}”" for a in used)},
            code="in_use",
        )


def image_make_renditions(image_id: int) -> list[dict]:
    """Make the missing renditions of one image (safe to run twice: existing
    ones are kept). Returns the renditions it now has."""
    from bulletin.models import Image

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return []
    with image.file.open("rb") as source:
        picture = PILImage.open(io.BytesIO(source.read()))
        picture.load()
    fallback = "PNG" if image.format in ("PNG", "GIF") else "JPEG"
    stem = image.file.name.rsplit(".", 1)[0]
    renditions = []
    for width in settings.IMAGE_RENDITION_WIDTHS:
        if width >= image.width:
            break
        height = round(image.height * width / image.width)
        resized = picture.convert("RGBA" if fallback == "PNG" else "RGB").resize(
            (width, height), PILImage.Resampling.LANCZOS
        )
        for format_name in ("WEBP", fallback):
            name = f"{stem}-{width}.{'webp' if format_name == 'WEBP' else fallback.lower()}"
            if not default_storage.exists(name):
                out = io.BytesIO()
                resized.save(out, format=format_name, **_SAVE_OPTIONS[format_name])
                name = default_storage.save(name, ContentFile(out.getvalue()))
            renditions.append({"width": width, "format": format_name.lower(), "name": name})
    Image.objects.filter(pk=image_id).update(renditions=renditions)
    return renditions


# Showing images.


def mime_type(url: str) -> str:
    """The type of an image file by its name (ours are always named by their format)."""
    extension = url.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
            "gif": "image/gif"}.get(extension, "application/octet-stream")


# Where an article's images appear: the reader's column is at most 70ch (~46rem).
READER_SIZES = "(max-width: 48rem) 100vw, 46rem"
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w-]*)="([^"]*)"')
_FIGCAPTION_END = "</figcaption>"
_FIGURE = re.compile(r"<figure>(.*?)</figure>", re.S)


def picture_html(image, language: str, *, alt: str = "", lazy: bool = True,
                 sizes: str = READER_SIZES) -> str:
    """A <picture> for a reader page: WebP and fallback srcsets, the original's
    width and height (no layout shift), alt text in `language`."""
    alt = image.localized("alt", language) or alt
    webp = image.srcset("webp")
    fallback_format = "png" if image.format in ("PNG", "GIF") else "jpeg"
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}>'
        "</picture>",
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', webp, sizes)
        if webp else "",
        image.file.url,
        image.srcset(fallback_format),
        sizes,
        image.width,
        image.height,
        alt,
        mark_safe(' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"'),  # noqa: S308
    )


def credit_html(image, language: str) -> str:
    credit = image.localized("credit", language)
    return format_html('<span class="figure__credit">{}</span>', credit) if credit else ""


def body_with_images(html: str, images_by_id: dict, language: str) -> str:
    """A sanitised body with each uploaded image shown as a responsive <picture>
    (alt text in `language`) and its credit after the figure's caption. An image
    that is gone keeps the stored <img>."""
    if not images_by_id:
        return html

    def image_of(tag):
        attrs = dict(_ATTRIBUTE.findall(tag))
        found = images_by_id.get(int(attrs.get("data-file") or 0))
        return found, html_module.unescape(attrs.get("alt", ""))

    def figure(match):
        inner = match.group(1)
        tag = _IMG_TAG.search(inner)
        image, alt = image_of(tag.group(0)) if tag else (None, "")
        if image is None:
            return match.group(0)
        inner = inner.replace(tag.group(0), picture_html(image, language, alt=alt), 1)
        credit = credit_html(image, language)
        if credit:
            if _FIGCAPTION_END in inner:
                at = inner.rindex(_FIGCAPTION_END)
                inner = f"{inner[:at]} {credit}{inner[at:]}"
            else:
                inner += f"<figcaption>{credit}</figcaption>"
        return f"<figure>{inner}</figure>"

    def bare(match):
        image, alt = image_of(match.group(0))
        return match.group(0) if image is None else picture_html(image, language, alt=alt)

    parts = _FIGURE.split(html)
    # split() with one group: text, figure content, text, ...
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(figure(re.match(r"(.*)", part, re.S)))
        else:
            out.append(_IMG_TAG.sub(bare, part))
    return "".join(out)


def images_for(*bodies: str) -> dict:
    """The Images that `bodies` show, by id, in one query (none when they show none)."""
    from bulletin.models import Image
    from bulletin.sanitize import body_image_ids

    ids = body_image_ids(*bodies)
    return {image.pk: image for image in Image.objects.filter(pk__in=ids)} if ids else {}
