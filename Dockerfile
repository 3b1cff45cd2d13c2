# The web, worker and beat image for the full stack (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends curl libjpeg62-turbo gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
RUN DJANGO_SETTINGS_MODULE=marketplace.settings.dev python manage.py collectstatic --noinput \
    && useradd --system --home /app ocop && mkdir -p /app/var/media && chown -R ocop /app/var
USER ocop
EXPOSE 8000
# Bind, workers and timeouts come from gunicorn.conf.py (read from /app).
CMD ["gunicorn", "marketplace.wsgi:application"]
