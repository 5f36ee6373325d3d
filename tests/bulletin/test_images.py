"""Uploading images in the admin: every file is decoded whole by Pillow, cleaned
of its metadata, and stored only when it is a JPEG, PNG, WebP or GIF within
the limits; anything else is a clear form error and nothing is stored."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from bulletin.models import Article, Image
from tests.factories import ArticleFactory, analyst, editor
from tests.images import SVG_WITH_SCRIPT, jpeg_with_gps, picture, png_bomb

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def analyst_client(client):
    client.force_login(analyst())
    return client


def upload(client, content, name="photo.jpg", content_type="image/jpeg", **fields):
    data = {"alt_en": "A chart of potash exports", "alt_be": "", "alt_ru": "",
            "caption_en": "", "caption_be": "", "caption_ru": "", "credit_en": "Belstat",
            "credit_be": "Белстат", "credit_ru": "Белстат",
            "file": SimpleUploadedFile(name, content, content_type=content_type), **fields}
    return client.post(reverse("admin:bulletin_image_add"), data)


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.mark.parametrize(
    ("format_name", "name", "content_type"),
    [("JPEG", "a.jpg", "image/jpeg"), ("PNG", "a.png", "image/png"),
     ("WEBP", "a.webp", "image/webp"), ("GIF", "a.gif", "image/gif")],
)
def test_each_accepted_format_is_stored_with_its_size(analyst_client, media, format_name, name,
                                                      content_type,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(analyst_client, picture(format_name, size=(1200, 800)), name,
                          content_type)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (1200, 800, format_name)
    assert image.alt_en == "A chart of potash exports" and image.credit == "Belstat"
    assert image.uploaded_by.username == "analyst"
    # A random name, the right extension; the file decodes as what it claims to be.
    assert re.fullmatch(r"images/[0-9a-f]{32}\.(jpg|png|webp|gif)", image.file.name)
    with image.file.open("rb") as stored:
        assert PILImage.open(stored).format == format_name
    # Renditions were made (in-process here; a real worker in test_image_worker.py).
    image.refresh_from_db()
    assert {(r["width"], r["format"]) for r in image.renditions} == {
        (480, "webp"), (960, "webp"),
        (480, "png" if format_name in ("PNG", "GIF") else "jpeg"),
        (960, "png" if format_name in ("PNG", "GIF") else "jpeg"),
    }


def test_gps_and_camera_are_removed_from_a_stored_jpeg(analyst_client):
    original = jpeg_with_gps()
    assert PILImage.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it had them
    assert upload(analyst_client, original).status_code == 302
    image = Image.objects.get()
    with image.file.open("rb") as stored:
        data = stored.read()
    exif = PILImage.open(io.BytesIO(data)).getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0110 not in exif
    assert b"PhoneMaker" not in data and b"Exif" not in data


BAD_UPLOADS = {
    "text renamed .png": (b"Quarterly figures\n1,2,3\n" * 20, "figures.png", "image/png",
                          "not an image we accept"),
    "truncated jpeg": (picture("JPEG", size=(800, 600))[:1500], "cut.jpg", "image/jpeg",
                       "damaged or incomplete"),
    "zero bytes": (b"", "empty.jpg", "image/jpeg", "empty"),
    "svg with script": (SVG_WITH_SCRIPT, "chart.svg", "image/svg+xml",
                        "not an image we accept"),
    "svg renamed .png": (SVG_WITH_SCRIPT, "chart.png", "image/png", "not an image we accept"),
    "decompression bomb": (png_bomb(), "bomb.png", "image/png", "megapixels are accepted"),
    "tiff (not accepted)": (picture("TIFF", size=(100, 100)), "scan.tif", "image/tiff",
                            "not an image we accept"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(analyst_client, media, case):
    content, name, content_type, message = BAD_UPLOADS[case]
    response = upload(analyst_client, content, name, content_type)
    assert response.status_code == 200  # the form again, with the error
    errors = " ".join(str(e) for e in response.context["adminform"].form.errors["file"])
    assert message in errors, errors
    assert Image.objects.count() == 0
    assert stored_files(media) == []


def test_a_huge_file_is_refused_before_decoding(analyst_client, media, settings):
    settings.IMAGE_MAX_BYTES = 100_000
    content = b"\x89PNG" + b"0" * 150_000
    response = upload(analyst_client, content, "huge.png", "image/png")
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.errors["file"])
    assert "at most 0.1 MB" in errors
    assert Image.objects.count() == 0 and stored_files(media) == []


def test_editing_alt_text_keeps_the_file(analyst_client):
    response = upload(analyst_client, picture("PNG", size=(300, 200)), "a.png", "image/png")
    assert response.status_code == 302
    image = Image.objects.get()
    name = image.file.name
    response = analyst_client.post(
        reverse("admin:bulletin_image_change", args=[image.pk]),
        {"alt_en": "Chart", "alt_be": "Дыяграма", "alt_ru": "Диаграмма", "caption_en": "",
         "caption_be": "", "caption_ru": "", "credit_en": "", "credit_be": "", "credit_ru": ""},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name == name and image.alt_be == "Дыяграма"


class TestDeleting:
    def _image(self):
        from bulletin.images import image_create

        return image_create(upload=io.BytesIO(picture("PNG", size=(300, 200))), alt_en="Chart")

    def test_an_image_a_published_article_shows_is_not_deleted(self, client):
        image = self._image()
        article = ArticleFactory(
            status=Article.Status.PUBLISHED,
            body_en=f'<p>x</p><figure><img src="{image.file.url}" data-file="{image.pk}" '
                    f'alt="Chart"></figure>',
        )
        other = ArticleFactory(status=Article.Status.PUBLISHED, lead_image=image)
        client.force_login(editor())
        response = client.post(reverse("admin:bulletin_image_delete", args=[image.pk]),
                               {"post": "yes"}, follow=True)
        assert Image.objects.filter(pk=image.pk).exists()
        text = response.content.decode()
        assert "cannot be deleted" in text
        assert str(article) in text and str(other) in text
        # The bulk action's confirmation lists them as protected, and deletes nothing.
        response = client.post(reverse("admin:bulletin_image_changelist"),
                               {"action": "delete_selected", "_selected_action": [image.pk]})
        assert str(article) in response.content.decode()
        assert Image.objects.filter(pk=image.pk).exists()

    def test_an_unused_image_is_deleted(self, client):
        image = self._image()
        client.force_login(editor())
        client.post(reverse("admin:bulletin_image_delete", args=[image.pk]), {"post": "yes"})
        assert not Image.objects.filter(pk=image.pk).exists()

    def test_analysts_may_not_delete_images(self, analyst_client):
        image = self._image()
        response = analyst_client.post(reverse("admin:bulletin_image_delete", args=[image.pk]),
                                       {"post": "yes"})
        assert response.status_code == 403
        assert Image.objects.filter(pk=image.pk).exists()


def test_a_body_figure_links_the_article_to_its_image():
    from bulletin.images import image_create

    image = image_create(upload=io.BytesIO(picture("PNG", size=(300, 200))), alt_en="Chart")
    article = ArticleFactory(body_ru=f'<figure><img src="/x" data-file="{image.pk}"></figure>')
    assert list(article.images.all()) == [image]
    article.body_ru = "<p>none</p>"
    article.save()
    assert list(article.images.all()) == []
