"""Deployment configuration is valid for the real tools that read it.

docker-compose.yml (docker-compose 1.29 `config`), deploy/prometheus (promtool check config/rules and
promtool rule unit tests), deploy/alertmanager (amtool check-config), the Grafana dashboard and the
alert rules (every metric they name exists), and a real Prometheus scraping our registry with the
rules loaded. The tools come from Debian packages (`apt-get install -y docker-compose prometheus
prometheus-alertmanager`); a missing tool fails the test, it is never skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, ProcessCollector, start_http_server
from prometheus_client.core import Metric

from sahelwatch.settings import SERVICE_PORTS
from sahelwatch.telemetry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
PROMETHEUS_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"
PROMETHEUS_RULES = ROOT / "deploy" / "prometheus" / "rules.yml"
ALERTMANAGER_CONFIG = ROOT / "deploy" / "alertmanager" / "alertmanager.yml"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "sahelwatch.json"

STAGES = tuple(SERVICE_PORTS)  # ingest, extraction, geocoding, alerting
APT_PACKAGE = {
    "docker-compose": "docker-compose",
    "promtool": "prometheus",
    "prometheus": "prometheus",
    "amtool": "prometheus-alertmanager",
}


def tool(name: str) -> str:
    """Path of a required command-line tool; fails (never skips) with how to install it."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        pytest.fail(
            f"`{name}` is not installed: the deployment checks need it "
            f"(apt-get install -y {APT_PACKAGE.get(name, name)})",
            pytrace=False,
        )
    return path


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"{' '.join(result.args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )


def seconds(duration: str | int | float) -> float:
    """A compose duration ("30s", "1m30s", "1500ms") in seconds."""
    if isinstance(duration, int | float):
        return float(duration)
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, f"bad duration {duration!r}"
    return sum(float(n) * units[u] for n, u in parts)


# --------------------------------------------------------------------------- docker compose


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The compose file as docker-compose resolves it (anchors merged, variables interpolated)."""
    result = run(tool("docker-compose"), "-f", str(COMPOSE_FILE), "config")
    assert_ok(result)
    resolved: dict[str, Any] = yaml.safe_load(result.stdout)
    return resolved


def test_compose_file_is_valid_for_docker_compose() -> None:
    assert_ok(run(tool("docker-compose"), "-f", str(COMPOSE_FILE), "config", "-q"))


def test_every_service_has_a_healthcheck_or_is_one_shot_and_a_restart_policy(compose: dict[str, Any]) -> None:
    services: dict[str, dict[str, Any]] = compose["services"]
    completed_deps = {
        dep
        for svc in services.values()
        for dep, spec in (svc.get("depends_on") or {}).items()
        if spec.get("condition") == "service_completed_successfully"
    }
    for name, svc in services.items():
        assert "restart" in svc, f"{name}: no restart policy"
        if name in completed_deps:
            assert svc["restart"] == "no", f"{name} is a one-shot job: restart must be 'no'"
            continue
        check = svc.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name}: no healthcheck"
        assert svc["restart"] == "unless-stopped", f"{name}: restart {svc['restart']!r}"


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    for name, svc in compose["services"].items():
        image = svc.get("image")
        assert image, f"{name}: no image"
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        assert tag and tag != "latest", f"{name}: image {image!r} is not pinned to a tag"


def test_the_four_services_share_one_image_and_shut_down_gracefully(compose: dict[str, Any]) -> None:
    services = compose["services"]
    builds = {stage: services[stage].get("build") for stage in STAGES}
    images = {stage: services[stage].get("image") for stage in STAGES}
    assert all(builds.values()), builds
    assert Path(builds["ingest"]["dockerfile"]).as_posix().endswith("deploy/Dockerfile")
    assert len({json.dumps(b, sort_keys=True) for b in builds.values()}) == 1, builds
    assert len(set(images.values())) == 1, images
    assert services["gazetteer"]["build"] == builds["ingest"]

    for stage in STAGES:
        svc = services[stage]
        assert svc["command"] == ["serve", stage]
        assert seconds(svc["stop_grace_period"]) >= 20, f"{stage}: stop_grace_period below FastStream's 15 s"
        env = svc["environment"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["MONGO_URL"].startswith("mongodb://mongo:27017/") and "replicaSet=rs0" in env["MONGO_URL"]
        assert env["SAHELWATCH_HOST"] == "0.0.0.0"
        for dep in ("redis", "mongo"):
            assert svc["depends_on"][dep]["condition"] == "service_healthy", f"{stage} -> {dep}"
        probe = " ".join(svc["healthcheck"]["test"])
        assert f":{SERVICE_PORTS[stage]}/health" in probe, f"{stage}: healthcheck does not probe its /health"


def test_gazetteer_job_feeds_extraction_and_geocoding(compose: dict[str, Any]) -> None:
    services = compose["services"]
    job = services["gazetteer"]
    script = " ".join([*job.get("entrypoint", []), *job["command"]])
    fetch = re.search(r"sahelwatch gazetteer fetch .* --dest ([^\s;]+)", script)
    assert fetch, f"the gazetteer job does not run `sahelwatch gazetteer fetch`: {script}"
    dest = fetch.group(1)
    assert any(v.startswith(f"gazetteer:{dest}") for v in job["volumes"]), job["volumes"]
    for stage in ("extraction", "geocoding"):
        svc = services[stage]
        assert svc["depends_on"]["gazetteer"]["condition"] == "service_completed_successfully"
        mounts = [v for v in svc["volumes"] if v.startswith("gazetteer:")]
        assert mounts and all(v.endswith(":ro") for v in mounts), f"{stage}: gazetteer not mounted read-only"
        gazetteer_path = svc["environment"]["SAHELWATCH_GAZETTEER_PATH"]  # a folder: all its *.txt dumps
        assert gazetteer_path == dest or gazetteer_path.startswith(dest + "/"), gazetteer_path
    assert services["alerting"]["environment"]["SAHELWATCH_ALERTMANAGER_URL"] == "http://alertmanager:9093"


def test_mongo_runs_as_a_replica_set_and_redis_persists(compose: dict[str, Any]) -> None:
    services = compose["services"]
    mongo = services["mongo"]
    assert mongo["image"].startswith("mongo:6.0")
    assert "--replSet" in mongo["command"] and "rs0" in mongo["command"]
    probe = " ".join(mongo["healthcheck"]["test"])
    assert "rs.initiate" in probe and "isWritablePrimary" in probe
    assert "--appendonly" in services["redis"]["command"]
    assert any(v.split(":")[1] == "/data" for v in services["redis"]["volumes"])


def test_monitoring_services_mount_the_repo_configs(compose: dict[str, Any]) -> None:
    services = compose["services"]
    mounts = {name: " ".join(services[name]["volumes"]) for name in ("prometheus", "alertmanager", "grafana")}
    assert str(ROOT / "deploy" / "prometheus") in mounts["prometheus"]
    assert str(ROOT / "deploy" / "alertmanager") in mounts["alertmanager"]
    assert str(GRAFANA_DIR / "provisioning") in mounts["grafana"]
    assert str(GRAFANA_DIR / "dashboards") in mounts["grafana"]
    assert "GF_SECURITY_ADMIN_PASSWORD" in services["grafana"]["environment"]


def test_dockerfile_installs_the_project_as_a_non_root_user() -> None:
    lines = [ln.strip() for ln in DOCKERFILE.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0].startswith("FROM python:3.11-slim"), lines[0]
    assert any(ln.startswith("RUN pip install .") for ln in lines)
    users = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    assert any(ln.startswith("ENTRYPOINT") and "sahelwatch" in ln for ln in lines)
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", ".git", "out", ".sahelwatch"):
        assert entry in ignored, f".dockerignore misses {entry}"


# --------------------------------------------------------------------------- Prometheus / Alertmanager


def test_prometheus_config_is_valid() -> None:
    assert_ok(run(tool("promtool"), "check", "config", str(PROMETHEUS_CONFIG)))


def test_prometheus_rules_are_valid() -> None:
    assert_ok(run(tool("promtool"), "check", "rules", str(PROMETHEUS_RULES)))


def test_prometheus_scrapes_the_four_services() -> None:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        if job["job_name"] == "sahelwatch"
        for static in job["static_configs"]
        for target in static["targets"]
    }
    assert targets == {f"{stage}:{port}" for stage, port in SERVICE_PORTS.items()}
    assert config["rule_files"] == ["rules.yml"]


def _series(name: str, values: str, **labels: str) -> dict[str, str]:
    body = ", ".join(f'{k}="{v}"' for k, v in labels.items())
    return {"series": f"{name}{{{body}}}", "values": values}


def _firing(at: str, *alertnames: str) -> dict[str, Any]:
    return {
        "expr": 'count by (alertname) (ALERTS{alertstate="firing"})',
        "eval_time": at,
        "exp_samples": [{"labels": f'{{alertname="{a}"}}', "value": 1} for a in sorted(alertnames)],
    }


def test_prometheus_rules_fire_when_they_should(tmp_path: Path) -> None:
    """promtool unit tests: each pipeline alert fires on a synthetic history, and only then."""
    svc = {"job": "sahelwatch"}
    groups = [
        {  # a service stops answering; one stage dead-letters; a delivery fails
            "interval": "1m",
            "input_series": [
                _series("up", "1 1 0 0 0 0 0", service="ingest", instance="ingest:8000", **svc),
                _series("up", "1 1 1 1 1 1 1", service="geocoding", instance="geocoding:8002", **svc),
                _series("sahelwatch_dead_letters_total", "0 0 1 1 1 1 1", stage="extraction", **svc),
                _series("sahelwatch_dead_letters_total", "0 0 0 0 0 0 0", stage="geocoding", **svc),
                _series(
                    "sahelwatch_alert_deliveries_total",
                    "0 0 0 1 1 1 1",
                    channel="webhook",
                    outcome="failed",
                    **svc,
                ),
                _series("sahelwatch_alert_deliveries_total", "0+5x6", channel="webhook", outcome="ok", **svc),
            ],
            "promql_expr_test": [
                _firing("1m"),
                _firing("5m", "SahelwatchServiceDown", "SahelwatchDeadLetter", "SahelwatchAlertDeliveryFailing"),
            ],
        },
        {  # failure rates: geocoding 1 failure per 6 attempts, alerting only failures, extraction none
            "interval": "1m",
            "input_series": [
                _series("sahelwatch_messages_processed_total", "0+60x12", stage="geocoding", **svc),
                _series(
                    "sahelwatch_messages_failed_total",
                    "0+12x12",
                    stage="geocoding",
                    reason="transient",
                    **svc,
                ),
                _series("sahelwatch_messages_processed_total", "0+60x12", stage="extraction", **svc),
                _series("sahelwatch_messages_failed_total", "0x12", stage="extraction", reason="transient", **svc),
                _series("sahelwatch_messages_failed_total", "0+1x12", stage="alerting", reason="permanent", **svc),
            ],
            "promql_expr_test": [
                _firing("3m"),
                {
                    "expr": 'ALERTS{alertname="SahelwatchHighFailureRate", alertstate="firing"}',
                    "eval_time": "12m",
                    "exp_samples": [
                        {
                            "labels": f'ALERTS{{alertname="SahelwatchHighFailureRate", alertstate="firing", '
                            f'severity="warning", stage="{stage}"}}',
                            "value": 1,
                        }
                        for stage in ("alerting", "geocoding")
                    ],
                },
            ],
        },
        {  # ingest->alerting p99 between 1 s and 2.5 s; extraction's slowness is not this alert's business
            "interval": "1m",
            "input_series": [
                _series("sahelwatch_ingest_to_stage_seconds_bucket", "0+90x20", stage="alerting", le="1", **svc),
                _series("sahelwatch_ingest_to_stage_seconds_bucket", "0+100x20", stage="alerting", le="2.5", **svc),
                _series(
                    "sahelwatch_ingest_to_stage_seconds_bucket",
                    "0+100x20",
                    stage="alerting",
                    le="+Inf",
                    **svc,
                ),
                _series("sahelwatch_ingest_to_stage_seconds_bucket", "0+0x20", stage="extraction", le="1", **svc),
                _series(
                    "sahelwatch_ingest_to_stage_seconds_bucket",
                    "0+100x20",
                    stage="extraction",
                    le="+Inf",
                    **svc,
                ),
            ],
            "promql_expr_test": [_firing("3m"), _firing("15m", "SahelwatchSlowPipeline")],
        },
        {  # articles keep arriving, extraction never reports a processed message
            "interval": "1m",
            "input_series": [
                _series("sahelwatch_articles_received_total", "0+10x40", via="http", service="ingest", **svc),
            ],
            "promql_expr_test": [_firing("35m", "SahelwatchPipelineStalled")],
        },
        {  # articles arrive and extraction keeps up: not stalled
            "interval": "1m",
            "input_series": [
                _series("sahelwatch_articles_received_total", "0+10x40", via="http", service="ingest", **svc),
                _series("sahelwatch_messages_processed_total", "0+10x40", stage="extraction", **svc),
            ],
            "promql_expr_test": [_firing("35m")],
        },
    ]
    spec = {"rule_files": [str(PROMETHEUS_RULES)], "evaluation_interval": "1m", "tests": groups}
    test_file = tmp_path / "rules_test.yml"
    test_file.write_text(yaml.safe_dump(spec, sort_keys=False))
    assert_ok(run(tool("promtool"), "test", "rules", str(test_file)))


def test_alertmanager_config_is_valid() -> None:
    assert_ok(run(tool("amtool"), "check-config", str(ALERTMANAGER_CONFIG)))


def test_alertmanager_groups_incident_alerts_by_rule_and_region() -> None:
    route = yaml.safe_load(ALERTMANAGER_CONFIG.read_text())["route"]
    assert {"alertname", "rule", "admin1"} <= set(route["group_by"])


# --------------------------------------------------------------------------- metric names


_PROMQL_WORDS = {
    "and",
    "or",
    "unless",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "offset",
    "atan2",
    "inf",
    "nan",
}
_CLAUSE = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (template variables, strings, matchers and clauses removed)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\$\{[^}]*\}|\$\w+", "5m", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = _CLAUSE.sub(" ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.])([A-Za-z_:][\w:]*)(\s*\()?", text):
        word, call = match.group(1), match.group(2)
        if call or word.lower() in _PROMQL_WORDS:
            continue
        names.add(word)
    return names


def _sample_names(family: Metric) -> set[str]:
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("", "_sum", "_count", "_created"),
        "gauge": ("",),
        "info": ("_info",),
    }.get(family.type, ("",))
    return {family.name + suffix for suffix in suffixes}


def known_metrics() -> set[str]:
    """Every series name our services can expose: our registry, FastStream's middleware, process_*."""
    from faststream.prometheus.container import MetricsContainer

    names = {"up"}
    for family in REGISTRY.collect():
        names |= _sample_names(family)
    faststream = CollectorRegistry()
    MetricsContainer(faststream, metrics_prefix="faststream", custom_label_names=[])
    process = CollectorRegistry()
    ProcessCollector(registry=process)
    for registry in (faststream, process):
        for family in registry.collect():
            names |= _sample_names(family)
    return names


def _dashboard_exprs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            else:
                yield from _dashboard_exprs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _dashboard_exprs(item)


def test_metric_name_parser() -> None:
    expr = (
        'histogram_quantile(0.99, sum by (stage, le) (rate(sahelwatch_handle_seconds_bucket{stage=~"$stage"}'
        '[$__rate_interval]))) > 1 and on () (sum(up{job="x"}) or on () vector(0)) == 0'
    )
    assert metric_names(expr) == {"sahelwatch_handle_seconds_bucket", "up"}


def test_dashboard_and_rules_use_only_metrics_that_exist() -> None:
    known = known_metrics()
    dashboard = json.loads(DASHBOARD.read_text())
    dashboard_exprs = list(_dashboard_exprs(dashboard))
    rules = yaml.safe_load(PROMETHEUS_RULES.read_text())
    rule_exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    assert len(dashboard_exprs) >= 20 and len(rule_exprs) >= 5

    unknown = {
        (source, name)
        for source, exprs in (("dashboard", dashboard_exprs), ("rules", rule_exprs))
        for expr in exprs
        for name in metric_names(expr)
        if name not in known
    }
    assert not unknown, f"metric names not exposed by sahelwatch: {sorted(unknown)}"

    used = {name for expr in dashboard_exprs for name in metric_names(expr)}
    ours = {f.name for f in REGISTRY.collect() if f.name.startswith("sahelwatch_")}
    missing = {name for name in ours if not any(u.startswith(name) for u in used)}
    assert not missing, f"sahelwatch metrics with no dashboard panel: {sorted(missing)}"


def test_grafana_provisioning_points_at_the_dashboards() -> None:
    datasources = yaml.safe_load((GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (source,) = datasources["datasources"]
    assert source["type"] == "prometheus" and source["url"] == "http://prometheus:9090"
    providers = yaml.safe_load((GRAFANA_DIR / "provisioning" / "dashboards" / "dashboards.yml").read_text())
    assert providers["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"
    dashboard = json.loads(DASHBOARD.read_text())
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


# --------------------------------------------------------------------------- real Prometheus


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def _wait_for(what: str, probe: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = probe()
        except OSError as exc:  # not listening yet
            last = exc
        else:
            if last:
                return last
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; last: {last!r}")


def test_real_prometheus_scrapes_our_registry_with_the_rules_loaded(tmp_path: Path) -> None:
    prometheus = tool("prometheus")
    server, thread = start_http_server(0, addr="127.0.0.1", registry=REGISTRY)
    metrics_port = server.server_port
    prom_port = _free_port()
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(PROMETHEUS_RULES)],
        "scrape_configs": [
            {
                "job_name": "sahelwatch",
                "static_configs": [{"targets": [f"127.0.0.1:{metrics_port}"], "labels": {"service": "ingest"}}],
            }
        ],
    }
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    log = (tmp_path / "prometheus.log").open("w")
    proc = subprocess.Popen(
        [
            prometheus,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{prom_port}/api/v1"
    try:

        def target_up() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"prometheus exited {proc.returncode}:\n{(tmp_path / 'prometheus.log').read_text()}")
            targets = _get_json(f"{api}/targets")["data"]["activeTargets"]
            return any(t["labels"].get("job") == "sahelwatch" and t["health"] == "up" for t in targets)

        _wait_for("the scrape target to be up", target_up)

        def gazetteer_series() -> list[Any]:
            query = urllib.parse.urlencode({"query": 'sahelwatch_gazetteer_entries{job="sahelwatch"}'})
            result: list[Any] = _get_json(f"{api}/query?{query}")["data"]["result"]
            return result

        (sample,) = _wait_for("sahelwatch_gazetteer_entries to be queryable", gazetteer_series)
        assert sample["metric"]["service"] == "ingest"

        def rules_evaluated() -> list[dict[str, Any]]:
            groups = _get_json(f"{api}/rules")["data"]["groups"]
            rules = [rule for group in groups for rule in group["rules"]]
            return rules if rules and all(r.get("lastEvaluation", "").startswith("2") for r in rules) else []

        rules = _wait_for("the alert rules to be evaluated", rules_evaluated)
        expected = {r["alert"] for g in yaml.safe_load(PROMETHEUS_RULES.read_text())["groups"] for r in g["rules"]}
        assert {r["name"] for r in rules} == expected
        broken = {r["name"]: r.get("lastError") for r in rules if r["health"] != "ok"}
        assert not broken, broken
        firing = {r["name"] for r in rules if r["state"] == "firing"}
        assert not firing, f"alerts firing on an idle, healthy service: {firing}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        server.shutdown()
        thread.join(timeout=5)
