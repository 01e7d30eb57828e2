# Frågestund's image: gunicorn by default; the same image runs the Celery worker and beat
# with another command (deploy/compose.yaml). Configuration comes from the environment
# (.env.example); DEBUG is off.

# Exact tag of Python 3.11 on Debian 12, the versions the project is tested with.
FROM python:3.11.14-slim-bookworm AS build
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN /venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.txt
COPY . .
# Build steps need settings that load; SECRET_KEY here only keeps settings.py from writing a
# development key into the image.
RUN SECRET_KEY=build-only DEBUG=true /venv/bin/python manage.py compile_translations \
    && SECRET_KEY=build-only DEBUG=false SITE_URL=http://build.invalid EMAIL_URL=memorymail:// \
       /venv/bin/python manage.py collectstatic --noinput -v 0

FROM python:3.11.14-slim-bookworm
RUN groupadd --system --gid 10001 fragestund \
    && useradd --system --uid 10001 --gid 10001 --no-create-home fragestund
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=false \
    PORT=8000
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
# By number, so the runtime can tell it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000
# No curl in the slim image: Python asks /health/ (127.0.0.1 must be in ALLOWED_HOSTS).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4).status != 200)"]
# The Procfile's web process, with officehours/gunicorn_conf.py.
CMD ["gunicorn", "officehours.wsgi", "-c", "python:officehours.gunicorn_conf"]
