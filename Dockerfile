# Bulletin's one image: web (gunicorn), Celery worker, Celery beat and the
# one-off migrate job all run it (docker-compose.yml), with different commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BULLETIN_VAR_DIR=/app/var

# gettext for compilemessages (below, at build time).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system bulletin \
    && useradd --system --gid bulletin --home-dir /app --shell /usr/sbin/nologin bulletin

WORKDIR /app

# Dependencies first, from pyproject.toml alone: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code, templates, static files and translations; the app runs from /app.
COPY . .
RUN pip install --no-deps .

# Hashed, compressed static files (whitenoise) and compiled translations are
# part of the image. Settings need a production environment to load: these
# values exist for this step only and are not kept in the image.
RUN DEBUG=0 \
    SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c "python manage.py collectstatic --noinput -v 0 \
        && python manage.py compilemessages -v 0" \
    && mkdir -p /app/var/media \
    && chown bulletin:bulletin /app/var /app/var/media

USER bulletin
EXPOSE 8000

CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
