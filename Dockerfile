# TrainerHub's container image: gunicorn (deploy/gunicorn.conf.py) serving the app, static
# files collected at build time and served by WhiteNoise (or by nginx in front, from a copy).
# The same image runs the worker and Celery (see compose.yaml).
#
# Docker cannot run on the project's CI machines, so this file is checked statically
# (tests/deploy/test_container_files.py): the files it copies exist, the commands it runs exist.

# --- Front-end packages, from npm exactly as package-lock.json pins them (no CDN) -----------
FROM node:20-bookworm-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Python dependencies and the app ----------------------------------------------------------
FROM python:3.11-slim AS base
# PYTHONPATH: every process (gunicorn, manage.py, celery) imports the app from /app, where the
# templates and the collected static files are, never the installed copy in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# The lock first: this layer is rebuilt only when the pins change.
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md manage.py ./
COPY config/ config/
COPY trainerhub/ trainerhub/
COPY scripts/ scripts/
COPY deploy/ deploy/
RUN pip install --no-deps .

# --- Static files: vendored from node_modules, then collected with their hashed names --------
FROM base AS static
COPY --from=frontend /src/node_modules/ node_modules/
# A throwaway data folder and key: nothing generated here may end up in the image.
RUN python scripts/vendor_static.py \
 && DATA_DIR=/tmp/build-data SECRET_KEY=collectstatic-only DEBUG=false \
    python manage.py collectstatic --noinput --verbosity 0

# --- The image --------------------------------------------------------------------------------
FROM base
COPY --from=static /app/staticfiles/ staticfiles/
COPY --from=static /app/trainerhub/static/vendor/ trainerhub/static/vendor/
RUN useradd --system --user-group --no-create-home --uid 10001 trainerhub \
 && mkdir /data && chown trainerhub:trainerhub /data
# The data folder: SQLite (when DATABASE_URL is unset), uploads, the generated secret key.
ENV DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000
VOLUME ["/data"]
USER trainerhub
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
