# The web, worker and beat image of acquisition-hr (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, so that code edits don't reinstall them.
COPY pyproject.toml ./
RUN pip install .
COPY . .

# Static files and compiled catalogues are part of the image.
RUN SECRET_KEY=build-only DJANGO_SETTINGS_MODULE=acquisition_hr.production \
    python manage.py collectstatic --noinput -v 0 \
    && python manage.py compilemessages --ignore "*/site-packages/*" -v 0

RUN useradd --system --uid 10001 app && chown -R app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "acquisition_hr.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
