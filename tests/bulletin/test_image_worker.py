"""Images with the real parts: renditions made by a Celery worker subprocess on
Redis (never in the upload's request), the newsletter with images sent by the
worker to a real SMTP server, and media in S3-compatible object storage (moto's
server mode, started here) shared by this process (the web) and the worker."""

import io
import os
import re
import socket
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from bulletin import services
from bulletin.models import Image
from config.celery import app as celery_app
from newsletter.models import Dispatch, Subscriber
from tests.factories import ArticleFactory, IssueFactory, TopicFactory, analyst, editor
from tests.images import picture
from tests.processes import celery_worker, wait_for
from tests.reader_content import approve, week
from tests.smtp import SMTPSink, free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.timeout(300),
]


@pytest.fixture
def broker(need_postgres, need_redis):
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = need_redis
    celery_app.control.purge()
    yield need_redis
    celery_app.control.purge()
    celery_app.conf.task_always_eager = True


def upload_in_admin(client, content=None):
    client.force_login(analyst())
    response = client.post(reverse("admin:bulletin_image_add"), {
        "file": SimpleUploadedFile("chart.png", content or picture("PNG", size=(1800, 1000)),
                                   content_type="image/png"),
        "alt_en": "Potash exports", "alt_be": "Экспарт калію", "alt_ru": "Экспорт калия",
        "caption_en": "", "caption_be": "", "caption_ru": "", "credit_en": "Belstat",
        "credit_be": "", "credit_ru": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    # The request stored the original only: renditions are the worker's job.
    assert image.renditions == []
    return image


def has_renditions(image):
    image.refresh_from_db()
    return len(image.renditions) == 6


def test_worker_makes_renditions_and_the_newsletter_shows_them(broker, client, settings,
                                                              tmp_path):
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.SITE_URL = "https://bulletin.example"
    sink = SMTPSink().start()
    worker = celery_worker(tmp_path, REDIS_URL=broker, EMAIL_URL=sink.url,
                           BULLETIN_VAR_DIR=var, SITE_URL=settings.SITE_URL).start()
    try:
        image = upload_in_admin(client)
        assert wait_for(lambda: has_renditions(image), timeout=90), worker.log()[-3000:]
        for rendition in image.renditions:
            path = settings.MEDIA_ROOT / rendition["name"]
            with PILImage.open(path) as made:
                assert made.width == rendition["width"]
                assert made.format.lower() == rendition["format"]

        user = editor("mailer")
        issue = IssueFactory(number=60, start_date=week(60))
        topic = TopicFactory(slug="economy-worker")
        for n in range(6):
            approve(ArticleFactory(issue=issue, topic=topic, slug=f"w{n}", lead_image=image),
                    user)
        Subscriber.objects.create(email="reader@example.org", language="ru", status="confirmed")
        services.issue_publish(issue=issue, user=user, send_now=True)
        assert wait_for(lambda: len(sink.for_address("reader@example.org")) == 1, timeout=90), \
            worker.log()[-3000:]
        raw = next(raw for rcpt, _m, raw in sink.messages if rcpt == "reader@example.org")
        message = BytesParser(policy=policy.default).parsebytes(raw)
        html = message.get_body(("html",)).get_content()
        assert len(html.encode()) < 102 * 1024  # Gmail clips HTML bodies above 102 KB
        sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
        assert len(sources) == 6
        assert all(re.fullmatch(r"https://bulletin\.example/media/images/[0-9a-f]{32}-480\.png",
                                src) for src in sources), sources
        assert 'alt="Экспорт калия"' in html
        assert Dispatch.objects.get(issue=issue, language="ru").status == "sent"
    finally:
        worker.stop()
        sink.stop()


@pytest.fixture
def s3(tmp_path):
    """moto's S3 server in its own process, on a free loopback port, with one bucket."""
    pytest.importorskip("moto")
    import boto3

    port = free_port()
    log = open(tmp_path / "moto.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                             str(port)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    credentials = {"MEDIA_S3_ACCESS_KEY_ID": "test", "MEDIA_S3_SECRET_ACCESS_KEY": "test",
                   "MEDIA_S3_REGION": "us-east-1"}
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test",
                          aws_secret_access_key="test", region_name="us-east-1")
    client.create_bucket(Bucket="bulletin-media")
    yield {"endpoint": endpoint, "client": client, "env": {
        "MEDIA_S3_BUCKET": "bulletin-media", "MEDIA_S3_ENDPOINT_URL": endpoint,
        # Readers fetch images straight from the store (or a CDN in front of it).
        "MEDIA_S3_ACL": "public-read", **credentials}}
    proc.terminate()
    proc.wait(10)
    log.close()


def s3_storages(env):
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": env["MEDIA_S3_BUCKET"], "endpoint_url": env["MEDIA_S3_ENDPOINT_URL"],
            "access_key": "test", "secret_key": "test", "region_name": "us-east-1",
            "querystring_auth": False, "file_overwrite": False,
            "default_acl": env["MEDIA_S3_ACL"]}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_object_storage_is_shared_by_the_web_and_the_worker(broker, client, settings, tmp_path,
                                                            s3):
    settings.STORAGES = s3_storages(s3["env"])
    worker = celery_worker(tmp_path, REDIS_URL=broker, **s3["env"]).start()
    try:
        image = upload_in_admin(client, picture("JPEG", size=(1800, 1000)))
        keys = {o["Key"] for o in s3["client"].list_objects_v2(Bucket="bulletin-media")
                .get("Contents", [])}
        assert keys == {image.file.name}
        # The worker reads the original from the bucket and writes renditions there.
        assert wait_for(lambda: has_renditions(image), timeout=90), worker.log()[-3000:]
        keys = {o["Key"] for o in s3["client"].list_objects_v2(Bucket="bulletin-media")
                ["Contents"]}
        assert keys == {image.file.name, *(r["name"] for r in image.renditions)}

        # Pages and emails point at the store, absolutely; what they point at is there.
        url = image.file.url
        assert url.startswith(f"{s3['endpoint']}/bulletin-media/images/")
        fetched = requests.get(url, timeout=10)
        assert fetched.status_code == 200
        assert PILImage.open(io.BytesIO(fetched.content)).format == "JPEG"
        src, width, _height = image.fitting_src(600)
        assert src.startswith(s3["endpoint"]) and src.endswith("-480.jpeg") and width == 480
        assert requests.get(src, timeout=10).status_code == 200
        # No local copy was made.
        assert not (settings.MEDIA_ROOT / image.file.name).exists()
    finally:
        worker.stop()


def test_settings_choose_object_storage_from_the_environment():
    """config/settings.py: MEDIA_S3_BUCKET switches the default storage to S3."""
    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.STORAGES['default']['BACKEND'], "
            "settings.STORAGES['default']['OPTIONS']['endpoint_url'])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "MEDIA_S3_BUCKET": "media", "MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["storages.backends.s3.S3Storage", "http://127.0.0.1:9"]
