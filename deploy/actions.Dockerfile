# syntax=docker/dockerfile:1
# The action server: rasa-sdk, the knowledge module and the settings only (no Rasa, no TensorFlow); non-root.
#   docker build -f deploy/actions.Dockerfile -t codecare/actions:$(git rev-parse --short HEAD) .
FROM python:3.10.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.lock /tmp/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade "$(grep -E '^pip==' /tmp/requirements.lock)" \
 && /opt/venv/bin/pip install rasa-sdk pydantic PyYAML phonenumbers Faker spacy-lookups-data snowballstemmer -c /tmp/requirements.lock

FROM python:3.10.13-slim-bookworm
RUN useradd --uid 1001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin codecare
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 HOME=/tmp
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY actions actions
COPY carekb carekb
COPY codecare/__init__.py codecare/settings.py codecare/
COPY privacy privacy
COPY knowledge knowledge
# actions/server.py: rasa-sdk's app behind a shared secret (CODECARE_ACTION_TOKEN, required here)
ENV CODECARE_ACTIONS_REQUIRE_TOKEN=true
USER 1001:1001
EXPOSE 5055
# Liveness and readiness: GET /health (open; every other path needs the token)
CMD ["python", "-m", "actions.server", "--actions", "actions", "--host", "0.0.0.0", "--port", "5055"]
