# syntax=docker/dockerfile:1
# The Rasa server: trained model, knowledge, and the Rasa extensions of server/; runs as a non-root user.
# Build from the repository root after `make train`:
#   docker build -f deploy/rasa.Dockerfile -t codecare/rasa:$(git rev-parse --short HEAD) .
# Settings come from the environment (deploy/endpoints.yml, copied to endpoints.yml); see
# deploy/docker-compose.yml and deploy/k8s/.
FROM python:3.10.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt requirements.lock /tmp/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade "$(grep -E '^pip==' /tmp/requirements.lock)" \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt -c /tmp/requirements.lock

FROM python:3.10.13-slim-bookworm
RUN useradd --uid 1001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin codecare
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 HOME=/tmp \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY carekb carekb
COPY codecare codecare
COPY privacy privacy
COPY server server
COPY admin admin
COPY web web
COPY knowledge knowledge
COPY deploy/endpoints.yml endpoints.yml
COPY deploy/credentials.yml credentials.yml
COPY models/codecare.tar.gz models/codecare.tar.gz
USER 1001:1001
EXPOSE 5005
# Plain `rasa run`: every safety layer is loaded by name from endpoints.yml and credentials.yml
# (request bodies over CODECARE_MAX_BODY, 64 KiB, get 413); the HTTP API stays off (no --enable-api).
# Liveness: GET / (on the pod; nginx and the Ingress do not serve it)
# Readiness: GET /webhooks/health/ready (server/channels/health.py)
# tests/deploy/test_images.py builds this file set from the COPY lines and starts this CMD.
CMD ["rasa", "run", "--model", "models/codecare.tar.gz", "--port", "5005", \
     "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
