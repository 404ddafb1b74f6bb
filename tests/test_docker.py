"""The production stack in docker/ follows the settings (static: no Docker engine is needed).

The settings are read as source with `ast`, never imported, so a variable added to
config/settings/production.py's REQUIRED, or a path default changed in base.py, fails here
until docker/ follows.
"""

import ast
import importlib.util
import json
import re
import shlex
import tomllib
from importlib import metadata
from ipaddress import ip_network
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml
from django.core.management import get_commands, load_command_class
from django.http.request import validate_host
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
SETTINGS = ROOT / "config" / "settings"

SERVICES = {"nginx", "app", "migrate", "worker", "scheduler", "postgres", "redis", "elasticsearch"}
PLATFORM_SERVICES = ["app", "migrate", "worker", "scheduler"]  # the platform's own image
ONE_SHOT = {"migrate"}
# The stack needs these even though the settings have defaults for them.
STACK_NEEDS = {"REDIS_URL", "ELASTICSEARCH_URL", "SEARCH_INDEX_PATH"}
# In env.example for another service, not the platform: name -> the service that reads it.
OTHER_SERVICES = {
    "POSTGRES_DB": "postgres",
    "POSTGRES_USER": "postgres",
    "POSTGRES_PASSWORD": "postgres",
    "ES_JAVA_OPTS": "elasticsearch",
}
# compose's env_file: docker/.env, made by copying docker/env.example (git-ignored).
ENV_FILE = ".env"


# --- reading the files ----------------------------------------------------------------------


def compose():
    return yaml.safe_load((DOCKER / "compose.yaml").read_text("utf-8"))


def services():
    return compose()["services"]


def read_env_example():
    """(active {name: value}, names only mentioned in a comment as `# NAME=…`)."""
    active, commented = {}, set()
    for line in (DOCKER / "env.example").read_text("utf-8").splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            name, value = match.groups()
            assert name not in active, f"{name} is set twice in env.example"
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            active[name] = value
        elif match := re.match(r"#\s*([A-Z][A-Z0-9_]*)=", line.strip()):
            commented.add(match.group(1))
    return active, commented - active.keys()


def dockerfile():
    """The instructions of the last stage, [(INSTRUCTION, arguments)], and every ARG default."""
    text = (DOCKER / "Dockerfile").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    logical = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in logical.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    args = {}
    for keyword, rest in instructions:
        if keyword == "ARG" and "=" in rest:
            name, _, value = rest.partition("=")
            args[name] = value
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:], args, instructions


def last(instructions, keyword):
    found = [rest for key, rest in instructions if key == keyword]
    assert found, f"the Dockerfile's final stage has no {keyword}"
    return found[-1]


def project_python_files():
    """Every Python file of the project that runs in production: no tests, benchmarks, venv."""
    skip = {"tests", "bench", "docker", "node_modules", "var"}
    for child in sorted(ROOT.iterdir()):
        if child.suffix == ".py":
            yield child
        elif child.is_dir() and child.name not in skip and not child.name.startswith("."):
            yield from (p for p in sorted(child.rglob("*.py")) if "migrations" not in p.parts)


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


ENV_READERS = {"os.environ.get", "os.environ.setdefault", "os.getenv", "env_list"}


def environment_reads(paths):
    """{name: [default expression or None, …]} of every environment variable read in `paths`."""
    reads = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and _dotted(node.func) in ENV_READERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                default = node.args[1] if len(node.args) > 1 else None
                reads.setdefault(node.args[0].value, []).append(default)
            elif (
                isinstance(node, ast.Subscript)
                and _dotted(node.value) == "os.environ"
                and isinstance(node.slice, ast.Constant)
            ):
                reads.setdefault(node.slice.value, []).append(None)
    return reads


def settings_module(name):
    return ast.parse((SETTINGS / f"{name}.py").read_text("utf-8"))


def assigned(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned at module level")


def required_variables():
    required = assigned(settings_module("production"), "REQUIRED")
    assert required and all(isinstance(name, str) for name in required)
    return required


def path_default(name, base_dir):
    """The default of os.environ.get(name, <BASE_DIR / "a" / "b">) in base.py, under base_dir."""

    def evaluate(node):
        if isinstance(node, ast.Name) and node.id == "BASE_DIR":
            return base_dir
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return PurePosixPath(evaluate(node.left)) / evaluate(node.right)
        if isinstance(node, ast.Call) and _dotted(node.func) == "Path" and len(node.args) == 1:
            return PurePosixPath(evaluate(node.args[0]))
        raise AssertionError(f"cannot read the default of {name}: {ast.dump(node)}")

    defaults = [d for d in environment_reads([SETTINGS / "base.py"]).get(name, []) if d]
    assert len(defaults) == 1, f"base.py should read {name} once, with a default"
    return PurePosixPath(evaluate(defaults[0]))


def workdir():
    return PurePosixPath(last(dockerfile()[0], "WORKDIR"))


def setting_path(name, env):
    """The path the production settings use for `name` inside the image."""
    return PurePosixPath(env[name]) if env.get(name) else path_default(name, workdir())


def env_files(service):
    files = service.get("env_file", [])
    files = [files] if isinstance(files, str | dict) else files
    return [item["path"] if isinstance(item, dict) else item for item in files]


def environment(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return env


def mounts(service):
    """[(source, target, read_only)] of a service's volumes."""
    result = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            result.append((volume["source"], volume["target"], volume.get("read_only", False)))
        else:
            source, target, *mode = volume.split(":")
            result.append((source, target, bool(mode) and "ro" in mode[0].split(",")))
    return result


def command(service):
    value = service["command"]
    return shlex.split(value) if isinstance(value, str) else list(value)


def nginx_conf():
    text = (DOCKER / "nginx.conf").read_text("utf-8")
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def directives(conf, name):
    """The arguments of every `name …;` directive of the nginx configuration."""
    return [
        match.group(1).split()
        for match in re.finditer(rf"(?:^|[;{{}}\s]){re.escape(name)}\s+([^;{{}}]*);", conf)
    ]


def runtime_requirements_module():
    spec = importlib.util.spec_from_file_location(
        "runtime_requirements", DOCKER / "runtime_requirements.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- compose: services and scaling -----------------------------------------------------------


def test_compose_has_every_service_of_the_platform():
    assert set(services()) >= SERVICES, f"missing: {SERVICES - set(services())}"


def test_app_can_be_scaled():
    app = services()["app"]
    assert "container_name" not in app, "a fixed name forbids --scale app=N"
    assert "ports" not in app, "a host port forbids --scale app=N; nginx publishes the stack"


def test_only_nginx_publishes_a_port():
    published = {name for name, service in services().items() if service.get("ports")}
    assert published == {"nginx"}


def test_scheduler_runs_exactly_once():
    scheduler = services()["scheduler"]
    assert scheduler.get("deploy", {}).get("replicas") == 1
    assert "container_name" not in scheduler


def test_platform_services_share_one_image_built_from_the_dockerfile():
    for name in PLATFORM_SERVICES:
        build = services()[name]["build"]
        assert (DOCKER / build["context"]).resolve() == ROOT, name
        assert (ROOT / build["dockerfile"]).resolve() == DOCKER / "Dockerfile", name
    assert len({services()[name].get("image") for name in PLATFORM_SERVICES}) == 1


# --- environment -----------------------------------------------------------------------------


def test_required_variables_are_set_in_env_example():
    active, _ = read_env_example()
    missing = [name for name in required_variables() if not active.get(name)]
    assert not missing, f"env.example lacks required variables: {missing}"


def test_the_env_file_reaches_every_platform_process():
    active, _ = read_env_example()
    for name in PLATFORM_SERVICES:
        service = services()[name]
        visible = set(environment(service))
        if ENV_FILE in env_files(service):
            visible |= active.keys()
        missing = [var for var in [*required_variables(), *STACK_NEEDS] if var not in visible]
        assert not missing, f"{name} does not get {missing}"


def test_the_env_file_is_kept_out_of_git_and_the_image():
    gitignore = (ROOT / ".gitignore").read_text("utf-8").split()
    assert f"/docker/{ENV_FILE}" in gitignore or f"docker/{ENV_FILE}" in gitignore
    assert f"docker/{ENV_FILE}" in (ROOT / ".dockerignore").read_text("utf-8").split()


def test_the_stack_sets_what_it_needs_and_the_settings_read_it():
    settings_reads = environment_reads(SETTINGS.glob("*.py"))
    active, _ = read_env_example()
    for name in STACK_NEEDS:
        assert name in settings_reads, f"the settings no longer read {name}"
        assert active.get(name), f"env.example does not set {name}"


def test_env_example_names_only_variables_someone_reads():
    # REQUIRED counts as read: production.py checks each, and dj-database-url reads DATABASE_URL
    known = environment_reads(project_python_files()).keys() | set(required_variables())
    active, commented = read_env_example()
    unknown = sorted((active.keys() | commented) - known - OTHER_SERVICES.keys())
    assert not unknown, f"env.example sets variables nothing reads: {unknown}"


def test_variables_for_other_services_reach_them():
    active, _ = read_env_example()
    for name, service in OTHER_SERVICES.items():
        assert name in active, f"env.example should set {name} for {service}"
        values = " ".join(str(value) for value in environment(services()[service]).values())
        assert "${" + name in values, f"{service} does not read {name} from docker/{ENV_FILE}"


def test_service_urls_point_at_the_stack():
    active, _ = read_env_example()
    database = urlsplit(active["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql"}
    assert database.hostname == "postgres"
    assert database.username == active["POSTGRES_USER"]
    assert database.password == active["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == active["POSTGRES_DB"]
    assert urlsplit(active["REDIS_URL"]).hostname == "redis"
    assert urlsplit(active["ELASTICSEARCH_URL"]).hostname == "elasticsearch"
    assert active["EMAIL_HOST"] not in {"127.0.0.1", "localhost"}, "the demo's mail catcher"


def test_secrets_in_env_example_are_placeholders():
    active, _ = read_env_example()
    secrets = [name for name in active if re.search("SECRET|PASSWORD", name)]
    assert {"SECRET_KEY", "EMAIL_HOST_PASSWORD", "POSTGRES_PASSWORD"} <= set(secrets)
    assert all(active[name] == "change-me" for name in secrets)


def test_nginx_is_a_trusted_proxy():
    """Login records and the lockout see the visitor, not nginx (accounts/client_ip.py)."""
    active, _ = read_env_example()
    subnets = [
        ip_network(pool["subnet"]) for pool in compose()["networks"]["default"]["ipam"]["config"]
    ]
    trusted = [ip_network(item.strip()) for item in active["TRUSTED_PROXIES"].split(",")]
    assert subnets and all(
        any(subnet.subnet_of(proxy) for proxy in trusted) for subnet in subnets
    ), f"TRUSTED_PROXIES {trusted} does not cover the stack's network {subnets}"


def test_the_portal_answers_its_own_health_check():
    """The image's HEALTHCHECK sends Host: PORTAL_HOSTNAME (else PLATFORM_DOMAIN)."""
    active, _ = read_env_example()
    host = active.get("PORTAL_HOSTNAME") or active["PLATFORM_DOMAIN"]
    allowed = [item.strip() for item in active["ALLOWED_HOSTS"].split(",") if item.strip()]
    assert validate_host(host, allowed)
    assert "PORTAL_HOSTNAME" in last(dockerfile()[0], "HEALTHCHECK")


# --- processes -------------------------------------------------------------------------------


def parses(app, name, args):
    """The management command exists and accepts these arguments."""
    assert get_commands().get(name) == app, f"{name} is not a command of {app}"
    load_command_class(app, name).create_parser("manage.py", name).parse_args(args)


def test_worker_runs_the_task_worker_on_every_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's
    args = command(services()["worker"])
    assert args[:3] == ["python", "manage.py", "run_worker"]
    assert args[args.index("--queue-name") + 1] == "*"
    assert (ROOT / "runtime" / "management" / "commands" / "run_worker.py").is_file()
    parses("runtime", "run_worker", args[3:])


def test_scheduler_runs_the_clock():
    args = command(services()["scheduler"])
    assert args[:3] == ["python", "manage.py", "run_scheduler"]
    assert (ROOT / "runtime" / "management" / "commands" / "run_scheduler.py").is_file()
    parses("runtime", "run_scheduler", args[3:])


def test_migrate_is_a_one_shot_the_processes_wait_for():
    migrate = services()["migrate"]
    args = command(migrate)
    assert args[:3] == ["python", "manage.py", "migrate"] and "--no-input" in args
    parses("django.core", "migrate", args[3:])
    assert migrate.get("restart") == "no"
    for name in ["app", "worker", "scheduler"]:
        condition = services()[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_app_serves_the_wsgi_application_on_port_8000():
    assert "command" not in services()["app"], "app runs the image's command"
    cmd = json.loads(last(dockerfile()[0], "CMD"))
    assert cmd[:2] == ["gunicorn", "config.wsgi"]
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0:8000"
    assert "application =" in (ROOT / "config" / "wsgi.py").read_text("utf-8")
    assert last(dockerfile()[0], "EXPOSE").split() == ["8000"]


def test_dependencies_wait_for_health():
    allowed = {"service_healthy", "service_completed_successfully", "service_started"}
    for name, service in services().items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on needs conditions"
        for target, rule in depends.items():
            assert rule["condition"] in allowed, f"{name} -> {target}"
    assert services()["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    for name in PLATFORM_SERVICES:
        assert services()[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


# --- health ----------------------------------------------------------------------------------


def test_every_long_running_service_has_a_health_check():
    image_check = last(dockerfile()[0], "HEALTHCHECK")
    for name, service in services().items():
        check = service.get("healthcheck")
        if name in ONE_SHOT:
            continue
        if check is None:
            assert "build" in service, f"{name} has no health check"
            assert "/healthz" in image_check, f"{name} relies on the image's HEALTHCHECK"
            continue
        assert not check.get("disable"), f"{name} disables its health check"
        assert check.get("test") and check["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_python_health_checks_compile():
    image_check = last(dockerfile()[0], "HEALTHCHECK")
    exec_form = json.loads(image_check[image_check.index("CMD") + 3 :].strip())
    checks = [exec_form]
    checks += [services()[name]["healthcheck"]["test"][1:] for name in ["worker", "scheduler"]]
    for check in checks:
        assert check[:2] == ["python", "-c"]
        compile(check[2], "<healthcheck>", "exec")
    assert "'http://127.0.0.1:8000/healthz'" in exec_form[2]


# --- the image ------------------------------------------------------------------------------


def test_image_is_python_311_slim():
    _, args, everything = dockerfile()
    for keyword, rest in everything:
        if keyword == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], rest.split()[0])
            assert image.startswith("python:3.11-slim"), image


def test_image_runs_as_a_fixed_non_root_user():
    user = last(dockerfile()[0], "USER").split(":")[0]
    assert user.isdigit() and int(user) != 0


def test_image_collects_static_files_with_throwaway_values_only():
    stage, _, everything = dockerfile()
    runs = [rest for keyword, rest in stage if keyword == "RUN" and "collectstatic" in rest]
    assert len(runs) == 1
    assert "--no-input" in runs[0]
    missing = [name for name in required_variables() if f"{name}=" not in runs[0]]
    assert not missing, f"collectstatic would stop: {missing} not given to it"
    baked = " ".join(rest for keyword, rest in everything if keyword == "ENV")
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in baked
    leaked = [name for name in required_variables() if re.search(rf"\b{name}\b", baked)]
    assert not leaked, f"ENV bakes {leaked} into the image"


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text("utf-8").split())
    for entry in [".venv", ".git", "var", "db.sqlite3", "media"]:
        assert entry in ignored, entry
    assert ignored & {"node_modules", "**/node_modules"}


# --- volumes ---------------------------------------------------------------------------------


def test_media_volume_is_where_the_settings_write():
    active, _ = read_env_example()
    target = str(setting_path("MEDIA_ROOT", active))
    for name in ["app", "worker"]:
        assert ("media", target, False) in mounts(services()[name]), name
    assert "media" in compose()["volumes"]


def test_search_index_volume_holds_the_embedded_index():
    """The folder is mounted, not the file: a rebuild swaps a new file in with os.replace."""
    active, _ = read_env_example()
    folder = str(setting_path("SEARCH_INDEX_PATH", active).parent)
    for name in ["app", "worker"]:
        assert ("search-index", folder, False) in mounts(services()[name]), name
    assert "search-index" in compose()["volumes"]


def test_writable_paths_belong_to_the_app_user():
    stage, _, _ = dockerfile()
    active, _ = read_env_example()
    user = last(stage, "USER")
    chown = " ".join(rest for keyword, rest in stage if keyword == "RUN" and "chown" in rest)
    folders = [setting_path("MEDIA_ROOT", active), setting_path("SEARCH_INDEX_PATH", active).parent]
    for folder in folders:
        assert str(folder) in chown, f"{folder} is not made writable for {user}"
    assert f"chown -R {user}" in chown


def test_databases_keep_their_data_in_named_volumes():
    named = compose()["volumes"]
    for name, target in [
        ("postgres", "/var/lib/postgresql/data"),
        ("elasticsearch", "/usr/share/elasticsearch/data"),
    ]:
        sources = [source for source, mount, _ in mounts(services()[name]) if mount == target]
        assert sources and sources[0] in named, name
    assert not services()["redis"].get("volumes"), "the cache keeps nothing"


def test_nginx_serves_images_from_the_media_volume_and_never_documents():
    conf = nginx_conf()
    nginx = services()["nginx"]
    media = [(target, ro) for source, target, ro in mounts(nginx) if source == "media"]
    assert media and media[0][1], "nginx mounts the media volume read-only"
    folder = media[0][0]
    aliases = [args[0] for args in directives(conf, "alias")]
    assert sorted(aliases) == [f"{folder}/images/", f"{folder}/original_images/"]
    assert "documents" not in " ".join(aliases)


# --- nginx ------------------------------------------------------------------------------------


def test_nginx_compresses_text():
    conf = nginx_conf()
    assert ["on"] in directives(conf, "gzip"), "gzip on (text/html is always compressed)"
    assert ["any"] in directives(conf, "gzip_proxied")
    types = {kind for args in directives(conf, "gzip_types") for kind in args}
    for kind in ["text/css", "application/javascript", "application/json", "image/svg+xml"]:
        assert kind in types, kind
    assert types & {"application/xml", "text/xml"}


def test_nginx_fails_over_between_app_servers():
    conf = nginx_conf()
    assert any(args[0] == "app:8000" for args in directives(conf, "server"))
    tries = directives(conf, "proxy_next_upstream")
    assert tries and {"error", "timeout", "http_502", "http_503"} <= set(tries[0])
    assert ["127.0.0.11", "valid=10s", "ipv6=off"] in directives(conf, "resolver")


def test_nginx_forwards_the_headers_the_settings_trust():
    header, value = assigned(settings_module("production"), "SECURE_PROXY_SSL_HEADER")
    assert (header, value) == ("HTTP_X_FORWARDED_PROTO", "https")
    headers = {args[0].lower() for args in directives(nginx_conf(), "proxy_set_header")}
    assert {"x-forwarded-proto", "x-forwarded-for", "host"} <= headers


def test_nginx_accepts_uploads():
    sizes = directives(nginx_conf(), "client_max_body_size")
    assert sizes and int(sizes[0][0].rstrip("mM")) >= 100


# --- dependencies in the image -----------------------------------------------------------------


def test_image_installs_the_runtime_part_of_the_lock_and_nothing_of_dev():
    module = runtime_requirements_module()
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    lines = module.runtime_requirements((ROOT / "requirements.lock").read_text("utf-8"), pyproject)
    kept = {module.canonical(line.split("==")[0]) for line in lines}
    assert {"django", "wagtail", "gunicorn", "psycopg-binary", "whitenoise", "redis"} <= kept
    assert not kept & {"pytest", "playwright", "ruff", "pyyaml", "factory-boy", "faker"}
    assert all(re.fullmatch(r"[a-z0-9.-]+==\S+", line.lower()) for line in lines), lines


def test_runtime_requirements_are_complete():
    """Every dependency of a kept package (as installed here) is kept too: `pip check` holds."""
    module = runtime_requirements_module()
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    lines = module.runtime_requirements((ROOT / "requirements.lock").read_text("utf-8"), pyproject)
    kept = {module.canonical(line.split("==")[0]) for line in lines}
    # the extras the project asks for, e.g. psycopg[binary]
    extras = {"": {""}}
    for spec in tomllib.loads(pyproject)["project"]["dependencies"]:
        requirement = Requirement(spec)
        extras[module.canonical(requirement.name)] = {"", *requirement.extras}
    missing = []
    for name in kept:
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in extras.get(name, {""})
            )
            if wanted and module.canonical(requirement.name) not in kept:
                missing.append(f"{name} needs {requirement.name}")
    assert not missing, missing
