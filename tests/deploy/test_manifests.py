"""deploy/: Kubernetes manifests valid against the Kubernetes schemas and wired together,
Dockerfiles that run as a non-root user and copy what exists, Docker Compose and nginx
configured for every setting the Rasa server reads.

The schemas come with the pinned kubernetes-validate package (no network needed).
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Dict, List

import kubernetes_validate
import pytest

from tests.conftest import ROOT
from tests.deploy.manifests import DEPLOY, VARIABLE, documents, endpoint_variables
from tests.deploy.servers import DEPLOYED, NGINX_TEMPLATE, Limits, need, render_site, self_signed

KUBERNETES_VERSION = "1.28.0"
MANIFESTS = sorted((DEPLOY / "k8s").rglob("*.yaml"))
READY_PATH = "/webhooks/health/ready"


def resources() -> Dict[str, dict]:
    """Every Kubernetes resource under deploy/k8s, keyed 'Kind/name'."""
    return {f"{d['kind']}/{d['metadata']['name']}": d for path in MANIFESTS for d in documents(path)}


def container(workload: dict) -> dict:
    spec = workload["spec"]
    pod = spec["jobTemplate"]["spec"]["template"]["spec"] if workload["kind"] == "CronJob" else spec["template"]["spec"]
    [only] = pod["containers"]
    return only


def rasa_sign_on() -> set:
    """What deploy/credentials.yml needs: its ${VAR}s, and the keys its `require_token` and
    email identities need (server/channels/auth.py)."""
    return endpoint_variables(DEPLOY / "credentials.yml") | {"CODECARE_JWT_SECRET", "CODECARE_SENDER_HASH_KEY"}


def provided_variables(workload: dict, all_resources: Dict[str, dict]) -> set:
    names = {e["name"] for e in container(workload).get("env", [])}
    for source in container(workload).get("envFrom", []):
        names |= set(all_resources[f"ConfigMap/{source['configMapRef']['name']}"]["data"])
    return names


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_manifest_is_valid_against_the_kubernetes_schemas(path: Path) -> None:
    for document in documents(path):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_a_broken_manifest() -> None:
    broken = documents(DEPLOY / "k8s" / "rasa.yaml")[0]
    container(broken)["ports"][0]["containerPort"] = "http"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    unknown = documents(DEPLOY / "k8s" / "rasa.yaml")[0]
    unknown["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(unknown, KUBERNETES_VERSION, strict=True)


def test_workloads_are_replicated_probed_non_root_and_fully_configured() -> None:
    found = resources()
    rasa, actions = found["Deployment/codecare-rasa"], found["Deployment/codecare-actions"]
    for workload in (rasa, actions):
        assert workload["spec"]["replicas"] >= 2
        pod = workload["spec"]["template"]
        assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
        assert container(workload)["securityContext"]["allowPrivilegeEscalation"] is False
        service = found[f"Service/{workload['metadata']['name']}"]
        assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert container(rasa)["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert container(rasa)["livenessProbe"]["httpGet"]["path"] == "/"
    assert "startupProbe" in container(rasa)
    assert container(actions)["readinessProbe"]["httpGet"]["path"] == "/health"
    assert container(actions)["livenessProbe"]["httpGet"]["path"] == "/health"
    for workload in (rasa, found["CronJob/codecare-purge"]):
        assert endpoint_variables(DEPLOY / "endpoints.yml") <= provided_variables(workload, found), "a ${VAR} of endpoints.yml is unset"
    assert rasa_sign_on() <= provided_variables(rasa, found), "the Rasa server's sign-on settings are unset"


def test_redis_locks_postgres_conversations_secrets_and_autoscaling_are_wired_in() -> None:
    found = resources()
    config = found["ConfigMap/codecare-config"]["data"]
    secret = found["Secret/codecare-secrets"]["stringData"]
    assert config["CODECARE_LOCK_STORE"] == "redis"
    assert config["CODECARE_ACTION_URL"] == "http://codecare-actions:5055/webhook"
    assert found["Service/codecare-actions"]["spec"]["ports"][0]["port"] == 5055
    for workload in (found["Deployment/codecare-rasa"], found["CronJob/codecare-purge"]):
        env = {e["name"]: e for e in container(workload)["env"]}
        assert env["CODECARE_DB_URL"]["value"].startswith("postgresql://$(CODECARE_DB_USER):$(CODECARE_DB_PASSWORD)@")
        for entry in env.values():
            reference = entry.get("valueFrom", {}).get("secretKeyRef")
            if reference:
                assert reference["name"] == "codecare-secrets" and reference["key"] in secret
    autoscaled = {h["spec"]["scaleTargetRef"]["name"]: h["spec"] for k, h in found.items()
                  if k.startswith("HorizontalPodAutoscaler/")}
    assert set(autoscaled) == {"codecare-rasa", "codecare-actions"}
    assert all(spec["minReplicas"] >= 2 for spec in autoscaled.values())


def dockerfile_final_stage(path: Path) -> List[str]:
    lines = re.sub(r"\\\n", " ", path.read_text()).splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    return [line.strip() for line in lines[start:] if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("name, port, command", [("rasa", 5005, '"rasa", "run"'), ("actions", 5055, "actions.server")])
def test_dockerfile_runs_as_non_root_and_copies_what_exists(name: str, port: int, command: str) -> None:
    dockerfile = DEPLOY / f"{name}.Dockerfile"
    stage = dockerfile_final_stage(dockerfile)
    assert re.match(r"FROM python:3\.10\.\d+-slim-bookworm$", stage[0])
    user = [line for line in stage if line.startswith("USER ")]
    assert user and user[-1] == "USER 1001:1001"
    assert stage.index(user[-1]) > max(i for i, line in enumerate(stage) if line.startswith("COPY "))
    assert f"EXPOSE {port}" in stage and command in stage[-1] and stage[-1].startswith("CMD [")
    ignore = (DEPLOY / f"{name}.Dockerfile.dockerignore").read_text().splitlines()
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"{dockerfile.name}: COPY {source}: not in the repository"
                assert f"!{source}" in ignore or f"!{source}/" in ignore, f"{source} excluded from the build context"


def test_compose_runs_replicas_with_every_setting_the_rasa_server_reads() -> None:
    [compose] = documents(DEPLOY / "docker-compose.yml")
    services = compose["services"]
    assert {"postgres", "redis", "actions", "rasa", "loadbalancer"} <= set(services)
    assert services["rasa"]["deploy"]["replicas"] >= 2 and services["actions"]["deploy"]["replicas"] >= 2
    environment = services["rasa"]["environment"]
    assert endpoint_variables(DEPLOY / "endpoints.yml") <= set(environment)
    assert rasa_sign_on() <= set(environment), "the Rasa server's sign-on settings are unset"
    assert environment["CODECARE_LOCK_STORE"] == "redis"
    assert environment["CODECARE_DB_URL"].startswith("postgresql://")
    balancer = services["loadbalancer"]
    template, tls = balancer["volumes"]
    assert (DEPLOY / template.split(":")[0]).resolve() == NGINX_TEMPLATE
    assert tls.endswith(":/etc/nginx/tls:ro")
    environment = balancer["environment"]
    assert set(VARIABLE.findall(NGINX_TEMPLATE.read_text())) <= set(environment)
    assert environment["CODECARE_TLS_CERTIFICATE"].startswith("/etc/nginx/tls/")
    # Users reach HTTPS; plain HTTP is published on this host's loopback only.
    assert sorted(balancer["ports"]) == ["127.0.0.1:8080:8080", "8443:8443"]
    deployed = Limits((environment["CODECARE_RATE_PER_ADDRESS"], int(environment["CODECARE_BURST_PER_ADDRESS"])),
                      (environment["CODECARE_RATE_PER_IDENTITY"], int(environment["CODECARE_BURST_PER_IDENTITY"])))
    assert deployed == DEPLOYED, "the rate-limit test uses docker-compose.yml's limits"


def nginx_test(tmp_path: Path, http_block: str) -> subprocess.CompletedProcess:
    """`nginx -t` of one http{} block, as nginx itself parses it."""
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n{http_block}\n}}\n")
    return subprocess.run([need("nginx"), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)


def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    certificate, key = self_signed(tmp_path)
    site = render_site(tmp_path / "access.log", "127.0.0.1:8290", "127.0.0.1:8292", "127.0.0.1:8291",
                       "server 127.0.0.1:5205; server 127.0.0.1:5206;", "server 127.0.0.1:5255;",
                       certificate, key, DEPLOYED)
    assert not VARIABLE.findall(site), "a template variable left unset"
    (tmp_path / "site.conf").write_text(site)
    done = nginx_test(tmp_path, f"include {tmp_path}/site.conf;")
    assert done.returncode == 0, done.stderr
    # The check can fail: nginx refuses a certificate file that is not there.
    (tmp_path / "site.conf").write_text(site.replace(str(certificate), str(tmp_path / "missing.crt")))
    assert nginx_test(tmp_path, f"include {tmp_path}/site.conf;").returncode != 0


def test_the_ingress_serves_only_the_channels_over_tls_with_limits_that_answer_429(tmp_path: Path) -> None:
    """No cluster runs here: the Ingress is validated (schemas above), read, and the
    controller's per-identity snippets are parsed by a real nginx."""
    found = resources()
    ingress = found["Ingress/codecare"]
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/limit-rps"]) > 0
    assert int(annotations["nginx.ingress.kubernetes.io/limit-connections"]) > 0
    assert not any("snippet" in name for name in annotations), "snippet annotations stay off"
    [rule] = ingress["spec"]["rules"]
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    paths = {p["path"]: p["backend"]["service"] for p in rule["http"]["paths"]}
    assert set(paths) == {"/webhooks/", "/socket.io/"}
    assert all(service == {"name": "codecare-rasa", "port": {"name": "http"}} for service in paths.values())
    rasa = found["Deployment/codecare-rasa"]
    assert container(rasa)["livenessProbe"]["httpGet"]["port"] == "http", "liveness goes to the pod"

    [controller] = documents(DEPLOY / "k8s" / "examples" / "ingress-nginx-controller.yaml")
    config = controller["data"]
    assert config["limit-req-status-code"] == config["limit-conn-status-code"] == "429"
    assert config["server-tokens"] == "false"
    location = (f"server {{ listen 127.0.0.1:8293; location / {{ {config['location-snippet']} return 204; }} }}")
    done = nginx_test(tmp_path, config["http-snippet"] + location)
    assert done.returncode == 0, done.stderr
