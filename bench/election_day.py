"""Election day under load: the observation API as production serves it, measured end to end.

    .venv/bin/python bench/election_day.py                       # 1,000/s for 60 s (~4 minutes)
    .venv/bin/python bench/election_day.py --duration 10 --rate 300   # a quick look
    .venv/bin/python bench/election_day.py --sweep 2x4,3x4,2x8   # try server configurations first
    .venv/bin/python bench/election_day.py --profile 300         # queries and CPU per request
    .venv/bin/python bench/election_day.py --tiny                # the smoke test's few seconds

What it does, all on this machine (PostgreSQL and Redis must be running):

1. A fresh PostgreSQL database (`--db`, default birlik_bench, dropped and made again), copied
   from a migrated template database made once per set of migrations (named after a hash of
   the migration files and the lock file; `--no-template` migrates from scratch). Seeded with
   the demo geography (`--stations`), an active election with a published checklist (11
   questions: yes/no, numbers with ranges, choices, text, skip logic, three alerts, a rule),
   and `--observers` deployed observers, each assigned to a station (`--mobile-share` of them
   in mobile teams of three stations), each with a device token.
2. The real server as a subprocess: gunicorn birlik.wsgi with production settings (DEBUG=0, a
   random SECRET_KEY, ALLOWED_HOSTS, REDIS_URL for the cache and the task queue, field
   encryption keys, WhiteNoise and the whole middleware stack); HTTPS=0 only because there is
   no TLS proxy on localhost. `--workers` x `--threads` gthread workers; `--sweep` measures
   several configurations (saturation pass only) and keeps the fastest.
3. Election day, open loop: requests start at their scheduled times (`--rate` per second for
   `--duration` seconds) whatever the server answers, each from a random observer for their
   station, with realistic answers (~1% raise an alert). `--resend` of them (2%) re-send an
   earlier idempotency key: half at once (racing the original), half 1-10 s later, as a phone's
   offline queue does. Latency counts from the scheduled start, so queueing in the client or
   in the server counts too. A request that fails or times out (`--timeout`) counts as lost.
4. Afterwards the database is counted: stored rows must equal the unique keys accepted, no key
   may be answered "created" twice or with two ids (duplicates), and every key sent must be
   stored and acknowledged (lost).
5. Saturation: `--connections` (500) concurrent connections sending back to back, against the
   full path and against the yardstick (bench/yardstick.py: a bare Django view in the same
   server that parses the JSON and inserts the same row), `--saturation-seconds` each, in
   alternating rounds so that noise on the machine hits both alike.

Besides rates and latencies it reports CPU milliseconds per request of the gunicorn processes,
of the PostgreSQL backends serving the benchmark's database and of the load generator (read
from /proc): on a shared machine the rates move with whatever else runs, the CPU cost much
less. `cpu_ratio` is the yardstick's server CPU per request over the full path's, and
`*_cpu_bound_rps` what the cores would sustain with nothing else on them. `--wait-quiet N`
waits up to N seconds for the load average to fall below `--quiet-load` before measuring.

Progress goes to stdout; the last line is one JSON object with the figures. The load generator
runs in `--client-procs` processes (asyncio + aiohttp, one connection pool each), separate from
the server but on the same cores, as the brief asks; that is part of the measurement, and the
same for both endpoints.
"""

import argparse
import asyncio
import bisect
import contextlib
import datetime
import hashlib
import json
import multiprocessing
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUBMIT_PATH = "/api/v1/observation/submissions"
LOCK_KEY = 0x62697262656E6368  # "birbench"
YARDSTICK_PATH = "/bench/yardstick/submissions"
STARTED = time.monotonic()

# --- The checklist -----------------------------------------------------------------------------


def _l(en: str, az: str, ru: str) -> dict[str, str]:
    return {"az": az, "en": en, "ru": ru}


def _yes_no(code, en, az, ru, **extra):
    return {"code": code, "type": "yes_no", "label": _l(en, az, ru), "required": True, **extra}


CHECKLIST = {
    "sections": [
        {
            "code": "A",
            "label": _l("Opening", "Açılış", "Открытие"),
            "questions": [
                _yes_no(
                    "A1",
                    "Did the station open by 08:00?",
                    "Məntəqə saat 08:00-a qədər açıldımı?",
                    "Открылся ли участок к 08:00?",
                    alert="A1 == no",
                ),
                {
                    "code": "A2",
                    "type": "number",
                    "label": _l("Minutes late", "Neçə dəqiqə gecikdi", "Опоздание, минут"),
                    "required": True,
                    "min": 1,
                    "max": 600,
                    "relevant": "A1 == no",
                },
                _yes_no(
                    "A3",
                    "Was the ballot box shown empty and sealed?",
                    "Seçki qutusu boş göstərilib möhürləndimi?",
                    "Была ли урна показана пустой и опечатана?",
                    alert="A3 == no",
                ),
                {
                    "code": "A4",
                    "type": "single",
                    "label": _l(
                        "Commission members present",
                        "İştirak edən komissiya üzvləri",
                        "Присутствующие члены комиссии",
                    ),
                    "required": True,
                    "options": [
                        {"value": "all", "label": _l("All", "Hamısı", "Все")},
                        {"value": "most", "label": _l("Most", "Əksəriyyəti", "Большинство")},
                        {"value": "few", "label": _l("Few", "Azı", "Немногие")},
                    ],
                },
            ],
        },
        {
            "code": "B",
            "label": _l("Voting", "Səsvermə", "Голосование"),
            "questions": [
                {
                    "code": "B1",
                    "type": "number",
                    "label": _l(
                        "Voters on the list", "Siyahıdakı seçicilər", "Избирателей в списке"
                    ),
                    "required": True,
                    "min": 0,
                    "max": 3000,
                },
                {
                    "code": "B2",
                    "type": "number",
                    "label": _l("Voters who have voted", "Səs vermiş seçicilər", "Проголосовало"),
                    "required": True,
                    "min": 0,
                    "max": 3000,
                },
                _yes_no(
                    "B3",
                    "Could you see every step of the voting?",
                    "Səsverməni hər addımda izləyə bildinizmi?",
                    "Могли ли вы видеть каждый шаг голосования?",
                    alert="B3 == no",
                ),
                {
                    "code": "B4",
                    "type": "multiple",
                    "label": _l("What did you see?", "Nə müşahidə etdiniz?", "Что вы видели?"),
                    "options": [
                        {
                            "value": "carousel",
                            "label": _l("Carousel voting", "Karusel", "Карусель"),
                        },
                        {
                            "value": "stuffing",
                            "label": _l("Ballot stuffing", "Qutuya atma", "Вброс"),
                        },
                        {
                            "value": "pressure",
                            "label": _l("Pressure on voters", "Təzyiq", "Давление"),
                        },
                        {
                            "value": "family",
                            "label": _l("Family voting", "Ailəvi səsvermə", "Семейное"),
                        },
                    ],
                },
                _yes_no(
                    "B5",
                    "Were voters' fingers marked with ink?",
                    "Seçicilərin barmağı mürəkkəblə işarələndimi?",
                    "Отмечались ли пальцы избирателей чернилами?",
                ),
                {
                    "code": "B6",
                    "type": "single",
                    "label": _l("Overall", "Ümumi qiymət", "Общая оценка"),
                    "required": True,
                    "options": [
                        {"value": "good", "label": _l("Good", "Yaxşı", "Хорошо")},
                        {"value": "fair", "label": _l("Fair", "Orta", "Удовлетворительно")},
                        {"value": "poor", "label": _l("Poor", "Pis", "Плохо")},
                    ],
                },
                {
                    "code": "B7",
                    "type": "text",
                    "label": _l("Comments", "Qeydlər", "Комментарии"),
                },
            ],
        },
    ],
    "rules": [
        {
            "code": "R1",
            "check": "B2 <= B1",
            "questions": ["B1", "B2"],
            "message": _l(
                "More voters voted than are on the list.",
                "Səs verənlər siyahıdakılardan çoxdur.",
                "Проголосовало больше, чем в списке.",
            ),
        }
    ],
}
COMMENTS = ["", "", "", "Hər şey qaydasındadır.", "Queue outside at 10:00", "Növbə uzundur"]


def make_answers(rng: random.Random, *, alert: bool) -> dict:
    """A plausible checklist; with `alert`, one critical answer."""
    registered = rng.randint(300, 2500)
    answers = {
        "A1": True,
        "A3": True,
        "A4": rng.choice(["all", "all", "most", "few"]),
        "B1": registered,
        "B2": rng.randint(0, registered),
        "B3": True,
        "B4": rng.sample(["carousel", "stuffing", "pressure", "family"], rng.choice([0, 0, 0, 1])),
        "B5": rng.random() < 0.95,
        "B6": rng.choice(["good", "good", "fair", "poor"]),
    }
    comment = rng.choice(COMMENTS)
    if comment:
        answers["B7"] = comment
    if alert:
        critical = rng.choice(["A1", "A3", "B3"])
        answers[critical] = False
        if critical == "A1":
            answers["A2"] = rng.randint(5, 90)
    return answers


# --- Small helpers -----------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


# --- The database ------------------------------------------------------------------------------


class Postgres:
    """Creating and dropping the benchmark's own databases (never `birlik` or `test_*`)."""

    def __init__(self, server_url: str):
        self.server_url = server_url.rstrip("/")

    def url(self, name: str) -> str:
        return f"{self.server_url}/{name}"

    def _admin(self, *statements: str) -> list:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            rows = []
            for statement in statements:
                cursor = connection.execute(statement)
                rows = cursor.fetchall() if cursor.description else []
            return rows

    @staticmethod
    def _check_name(name: str) -> None:
        if not name.startswith("birlik_bench") or not name.replace("_", "").isalnum():
            raise SystemExit(f"refusing to touch database {name!r}: use a birlik_bench* name")

    def exists(self, name: str) -> bool:
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))  # noqa: S608

    def drop(self, name: str) -> None:
        self._check_name(name)
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create(self, name: str, template: str | None = None) -> None:
        self._check_name(name)
        self.drop(name)
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def rename(self, name: str, new_name: str) -> None:
        self._check_name(name)
        self._check_name(new_name)
        self._admin(f'ALTER DATABASE "{name}" RENAME TO "{new_name}"')

    @contextlib.contextmanager
    def lock(self):
        """One benchmark at a time makes or copies the template (a session advisory lock)."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))

    def templates(self) -> list[str]:
        rows = self._admin(
            "SELECT datname FROM pg_database WHERE datname LIKE 'birlik_bench_tpl_%'"
        )
        return [row[0] for row in rows]


def migrations_fingerprint() -> str:
    """Changes whenever a migration (ours or a locked dependency's) may have changed."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for lock in ("requirements.lock",):
        with contextlib.suppress(FileNotFoundError):
            digest.update((ROOT / lock).read_bytes())
    return digest.hexdigest()[:12]


def migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"migrate failed:\n{done.stdout}\n{done.stderr}")


def fresh_database(pg: Postgres, name: str, *, use_template: bool) -> None:
    if not use_template:
        pg.create(name)
        log(f"migrating {name} from scratch")
        migrate(pg.url(name))
        return
    template = f"birlik_bench_tpl_{migrations_fingerprint()}"
    with pg.lock():
        if not pg.exists(template):
            for old in pg.templates():
                pg.drop(old)
            log(f"making template database {template} (migrate, once per set of migrations)")
            building = f"{template}_building"  # renamed only once migrated completely
            pg.create(building)
            try:
                migrate(pg.url(building))
            except BaseException:
                pg.drop(building)
                raise
            pg.rename(building, template)
        pg.create(name, template=template)
    log(f"database {name} created from {template}")


# --- Seeding -----------------------------------------------------------------------------------


@dataclass
class Client:
    """One simulated observer's phone."""

    observer_id: int
    token: str
    stations: list[int]


@dataclass
class World:
    form_id: int
    clients: list[Client]
    station_count: int


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "birlik.settings"
    import django

    django.setup()


def seed(args) -> World:
    """The election, its checklist, stations and observers with device tokens (in bulk)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from api.services import hash_token
    from elections.models import Election
    from geo.demo import build_demo_geography
    from geo.models import PollingStation
    from observation.devices import TOKEN_PREFIX
    from observation.models import ObserverDevice
    from observers.models import MobileTeam, Observer
    from questionnaires.engine import validate_schema
    from questionnaires.models import Questionnaire, QuestionnaireVersion

    problems = validate_schema(CHECKLIST)
    if problems:
        raise SystemExit(f"the benchmark's checklist is not valid: {problems}")
    started = time.monotonic()
    build_demo_geography(stations=args.stations)
    stations = list(
        PollingStation.objects.order_by("pk").values_list("pk", "constituency__district__region_id")
    )
    log(f"geography: {len(stations)} stations ({time.monotonic() - started:.1f}s)")
    rng = random.Random(args.seed)
    with transaction.atomic():
        election = Election.objects.create(
            kind=Election.Kind.PARLIAMENTARY,
            name_az="Növbədənkənar parlament seçkiləri (yük testi)",
            name_en="Snap parliamentary election (load test)",
            name_ru="Внеочередные парламентские выборы (нагрузочный тест)",
            election_date=datetime.date.today(),
            status=Election.Status.ACTIVE,
        )
        form = Questionnaire.objects.create(
            election=election,
            kind=Questionnaire.Kind.VOTING,
            code="VT",
            name_az="Səsvermə",
            name_en="Voting",
            name_ru="Голосование",
            status=Questionnaire.Status.ACTIVE,
        )
        version = QuestionnaireVersion.objects.create(
            questionnaire=form, number=1, schema=CHECKLIST, published_at=timezone.now()
        )
        form.current_version = version
        form.save(update_fields=["current_version"])

        mobile = round(args.observers * args.mobile_share)
        teams = []
        for index in range(mobile // 2):  # two observers per team, three stations each
            team = MobileTeam.objects.create(election=election, name=f"Mobil qrup {index + 1}")
            team_stations = rng.sample(stations, 3)
            team.stations.set([pk for pk, _region in team_stations])
            teams.append((team, [pk for pk, _region in team_stations], team_stations[0][1]))
        observers = []
        for index in range(args.observers):
            team = teams[index // 2] if index < len(teams) * 2 else None
            station = None if team else stations[index % len(stations)]
            observers.append(
                Observer(
                    election=election,
                    full_name=f"Müşahidəçi {index + 1}",
                    phone=f"+99450{index:07d}",
                    date_of_birth=datetime.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
                    region_id=team[2] if team else station[1],
                    status=Observer.Status.DEPLOYED,
                    number=index + 1,
                    station_id=None if team else station[0],
                    mobile_team=team[0] if team else None,
                )
            )
        Observer.objects.bulk_create(observers, batch_size=2000)
        team_stations = {team.pk: pks for team, pks, _region in teams}
        clients, devices = [], []
        for observer in observers:
            raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
            devices.append(
                ObserverDevice(observer=observer, prefix=raw[:10], key_hash=hash_token(raw))
            )
            clients.append(
                Client(
                    observer.pk,
                    raw,
                    team_stations[observer.mobile_team_id]
                    if observer.mobile_team_id
                    else [observer.station_id],
                )
            )
        ObserverDevice.objects.bulk_create(devices, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    log(
        f"seeded: election {election.pk}, form {form.pk} (11 questions, 1 rule), "
        f"{len(observers)} deployed observers ({mobile} in {len(teams)} mobile teams) with "
        f"device tokens ({time.monotonic() - started:.1f}s)"
    )
    return World(form_id=form.pk, clients=clients, station_count=len(stations))


# --- The server --------------------------------------------------------------------------------


def server_env(args, database_url: str, static_root: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "DATABASE", "REDIS", "BIRLIK_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "birlik.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HTTPS": "0",  # plain HTTP on localhost: no TLS proxy in front
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "CACHE_KEY_PREFIX": "birlik-bench",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "STATIC_ROOT": static_root,
            "BIRLIK_BENCH_YARDSTICK": "1",
        }
    )
    if args.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.health_checks is not None:
        env["DATABASE_CONN_HEALTH_CHECKS"] = args.health_checks
    return env


def _die_with_parent() -> None:
    """In the server's process before exec: get SIGTERM when the benchmark dies, however."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    def __init__(self, env: dict[str, str], *, workers: int, threads: int, log_dir: Path):
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{workers}x{threads}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def label(self) -> str:
        return f"{self.workers}x{self.threads}"

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "birlik.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--worker-connections",
            "2000",
            "--backlog",
            "4096",
            "--keep-alive",
            "75",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
        ]
        with self.log_path.open("w") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,  # the parent has no threads: safe
            )
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not answer:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        log(f"gunicorn {self.label} (gthread) serving on {self.base}, pid {self.process.pid}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def errors(self) -> list[str]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line]


# --- Workload ----------------------------------------------------------------------------------


@dataclass
class Slot:
    at: float  # seconds after the start
    key: str
    body: bytes
    headers: dict[str, str]
    resend: bool


def iso_now(offset: float = 0.0) -> str:
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=offset)).isoformat()


def body_for(world: World, client: Client, key: str, rng: random.Random, *, alert: bool) -> bytes:
    return json.dumps(
        {
            "form_id": world.form_id,
            "station_id": rng.choice(client.stations),
            "answers": make_answers(rng, alert=alert),
            "idempotency_key": key,
            "submitted_at": iso_now(-rng.uniform(0, 120)),
            "observer_id": client.observer_id,  # read by the yardstick only; the API ignores it
        },
        ensure_ascii=False,
    ).encode()


def headers_for(client: Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"}


def election_day_schedule(world: World, args, run_id: str) -> list[Slot]:
    """`rate` arrivals a second, evenly spaced; a share of them re-sends an earlier key."""
    rng = random.Random(args.seed + 1)
    total = max(1, round(args.rate * args.duration))
    slots: list[Slot] = []
    originals: list[int] = []  # indexes of the slots that sent a new key, in time order
    times: list[float] = []  # their times
    for index in range(total):
        at = index / args.rate
        if originals and rng.random() < args.resend:
            first, last = bisect.bisect_left(times, at - 10), bisect.bisect_right(times, at - 1)
            if rng.random() < 0.5 or last <= first:
                original = slots[originals[-1]]  # at once: races the original
            else:  # later: one sent 1 to 10 seconds ago (an offline queue catching up)
                original = slots[originals[rng.randrange(first, last)]]
            slots.append(Slot(at, original.key, original.body, original.headers, True))
            continue
        client = rng.choice(world.clients)
        key = f"od-{run_id}-{uuid.UUID(int=rng.getrandbits(128)).hex}"
        alert = rng.random() < args.alert_share
        slots.append(
            Slot(
                at, key, body_for(world, client, key, rng, alert=alert), headers_for(client), False
            )
        )
        originals.append(index)
        times.append(at)
    return slots


# --- The load generator (runs in child processes) ----------------------------------------------


@dataclass
class Result:
    index: int
    status: int  # HTTP status, or 0 for a timeout and -1 for any other failure
    latency: float  # seconds from the scheduled start to the end of the answer
    submission_id: int | None = None
    created: bool | None = None


def _session(limit: int, timeout: float):
    import aiohttp

    connector = aiohttp.TCPConnector(limit=limit, keepalive_timeout=60, ttl_dns_cache=None)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout),
        cookie_jar=aiohttp.DummyCookieJar(),  # the API sets no cookies; skip the jar's work
        auto_decompress=False,
        skip_auto_headers=("User-Agent",),
        headers={"User-Agent": "birlik-bench"},
    )


async def _post(session, url, body: bytes, headers: dict) -> tuple[int, bytes]:
    async with session.post(url, data=body, headers=headers) as response:
        return response.status, await response.read()


async def _open_loop(url, slots: list[tuple[int, float, bytes, dict]], start: float, args):
    """Start each request at its time, whatever happened to the ones before."""
    loop = asyncio.get_running_loop()
    offset = loop.time() - time.time()  # wall clock → loop clock
    results: list[Result] = []

    async with _session(args.client_connections, args.timeout) as session:

        async def one(index: int, at: float, body: bytes, headers: dict) -> None:
            try:
                status, payload = await _post(session, url, body, headers)
            except TimeoutError:
                results.append(Result(index, 0, loop.time() - at))
                return
            except Exception:
                results.append(Result(index, -1, loop.time() - at))
                return
            result = Result(index, status, loop.time() - at)
            if status in (200, 201):
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    answer = json.loads(payload)
                    result.submission_id, result.created = answer["id"], answer["created"]
            results.append(result)

        tasks = []
        for index, at_offset, body, headers in slots:
            at = start + offset + at_offset
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index, at, body, headers)))
        await asyncio.gather(*tasks)
    return results


async def _saturate(url, bodies: list[tuple[bytes, dict]], connections: int, seconds, args):
    """`connections` loops, each sending the next request as soon as the last one is answered."""
    loop = asyncio.get_running_loop()
    ok, failed, latencies = 0, 0, []
    async with _session(connections, args.timeout) as session:
        deadline = loop.time() + seconds

        async def worker(number: int) -> None:
            nonlocal ok, failed
            position = number
            while loop.time() < deadline:
                body, headers = bodies[position % len(bodies)]
                position += connections
                body = body.replace(b"@KEY@", uuid.uuid4().hex.encode())
                began = loop.time()
                try:
                    status, _payload = await _post(session, url, body, headers)
                except Exception:
                    failed += 1
                    continue
                if status in (200, 201):
                    ok += 1
                    latencies.append(loop.time() - began)
                else:
                    failed += 1

        began = loop.time()
        await asyncio.gather(*(worker(number) for number in range(connections)))
        elapsed = loop.time() - began
    return ok, failed, elapsed, latencies


def _child(job, queue) -> None:
    from yarl import URL  # parsed once, not on every request

    kind, payload = job
    if kind == "open":
        url, slots, start, args = payload
        queue.put(asyncio.run(_open_loop(URL(url), slots, start, args)))
    else:
        url, bodies, connections, seconds, args = payload
        queue.put(asyncio.run(_saturate(URL(url), bodies, connections, seconds, args)))


def in_children(jobs: list) -> list:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=_child, args=(job, queue)) for job in jobs]
    for process in processes:
        process.start()
    outcomes = [queue.get() for _process in processes]
    for process in processes:
        process.join()
    return outcomes


# --- CPU accounting (robust to a noisy machine) -----------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pid: int) -> float:
    fields = _stat(pid)  # fields[11], fields[12]: utime and stime
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0


class CpuMeter:
    """CPU seconds spent by the gunicorn processes, by the PostgreSQL backends serving the
    benchmark's database, and by this script's finished child processes (the load generator).

    Rates depend on what else the machine runs; CPU per request does much less, so it is the
    fairer comparison of the full path with the yardstick."""

    def __init__(self, server: "Server", database_url: str, database: str):
        self.server, self.database_url, self.database = server, database_url, database

    def _postgres_pids(self) -> list[int]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            ).fetchall()
        return [row[0] for row in rows]

    def snapshot(self) -> dict[str, dict[int, float]]:
        """CPU seconds per process, by kind; differences are taken per process, so a process
        that started in between counts from zero (one that ended in between is missed)."""
        import resource

        master = self.server.process.pid if self.server.process else None
        django = {}
        if master:
            django[master] = _cpu_seconds(master)
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    fields = _stat(int(entry.name))
                    if fields and fields[1] == str(master):
                        django[int(entry.name)] = _cpu_seconds(int(entry.name))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "django": django,
            "postgres": {pid: _cpu_seconds(pid) for pid in self._postgres_pids()},
            "client": {0: children.ru_utime + children.ru_stime},
        }

    def wait_until_idle(self, limit: float = 90) -> None:
        """Until the server has used under 5% of a core for a second (or `limit` seconds)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.snapshot()
            time.sleep(1)
            spent = self.spent(before, self.snapshot())
            if spent["django"] + spent["postgres"] < 0.05:
                return
        log("the server is still busy; going on")

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {
            kind: sum(
                max(0.0, cpu - before[kind].get(pid, 0.0)) for pid, cpu in after[kind].items()
            )
            for kind in after
        }

    @staticmethod
    def per_request(spent: dict[str, float], requests: int) -> dict[str, float | None]:
        if not requests:
            return dict.fromkeys(spent)
        return {kind: round(seconds / requests * 1000, 3) for kind, seconds in spent.items()}


# --- The passes --------------------------------------------------------------------------------


@dataclass
class OpenLoopOutcome:
    results: list[Result] = field(default_factory=list)
    elapsed: float = 0.0


def run_open_loop(server: Server, slots: list[Slot], args) -> OpenLoopOutcome:
    procs = max(1, args.client_procs)
    shares = [
        [(i, slot.at, slot.body, slot.headers) for i, slot in enumerate(slots) if i % procs == p]
        for p in range(procs)
    ]
    start = time.time() + 1.0  # every child has started by then
    log(
        f"election day: {len(slots)} requests at {args.rate:g}/s for {args.duration:g}s "
        f"({sum(s.resend for s in slots)} re-sends) from {procs} client process(es)"
    )
    began = time.monotonic()
    outcomes = in_children(
        [("open", (server.base + SUBMIT_PATH, share, start, args)) for share in shares]
    )
    results = sorted((r for outcome in outcomes for r in outcome), key=lambda r: r.index)
    return OpenLoopOutcome(results, time.monotonic() - began - 1.0)


def saturation_bodies(world: World, args, prefix: str, count: int = 2000) -> list:
    rng = random.Random(args.seed + 2)
    bodies = []
    for _n in range(count):
        client = rng.choice(world.clients)
        key = f"{prefix}-@KEY@"
        alert = rng.random() < args.alert_share
        bodies.append((body_for(world, client, key, rng, alert=alert), headers_for(client)))
    return bodies


def saturate(server: Server, path: str, bodies, args, seconds: float, meter: CpuMeter) -> dict:
    procs = max(1, args.client_procs)
    per_proc = [args.connections // procs + (p < args.connections % procs) for p in range(procs)]
    meter.wait_until_idle()
    before = meter.snapshot()
    outcomes = in_children(
        [("saturate", (server.base + path, bodies, n, seconds, args)) for n in per_proc]
    )
    after = meter.snapshot()
    ok = sum(outcome[0] for outcome in outcomes)
    failed = sum(outcome[1] for outcome in outcomes)
    elapsed = max(outcome[2] for outcome in outcomes)
    latencies = [value for outcome in outcomes for value in outcome[3]]
    cpu = CpuMeter.spent(before, after)
    return {"ok": ok, "failed": failed, "elapsed": elapsed, "latencies": latencies, "cpu": cpu}


def saturation_pass(server: Server, world: World, args, run_id: str, meter: CpuMeter) -> dict:
    """Full path and yardstick in alternating rounds; rates are totals over the rounds."""
    full_bodies = saturation_bodies(world, args, f"sat-{run_id}")
    yard_bodies = saturation_bodies(world, args, f"yard-{run_id}")
    rounds = max(1, args.saturation_rounds)
    seconds = args.saturation_seconds / rounds
    totals = {
        name: {"ok": 0, "failed": 0, "elapsed": 0.0, "latencies": [], "cpu": {}}
        for name in ("f", "y")
    }
    for number in range(rounds):
        for name, path, bodies in (
            ("f", SUBMIT_PATH, full_bodies),
            ("y", YARDSTICK_PATH, yard_bodies),
        ):
            outcome = saturate(server, path, bodies, args, seconds, meter)
            for key in ("ok", "failed", "elapsed"):
                totals[name][key] += outcome[key]
            for key, value in outcome["cpu"].items():
                totals[name]["cpu"][key] = totals[name]["cpu"].get(key, 0.0) + value
            totals[name]["latencies"] += outcome["latencies"]
            label = "full path" if name == "f" else "yardstick"
            log(
                f"saturation round {number + 1}/{rounds}, {label}: "
                f"{outcome['ok'] / outcome['elapsed']:.0f}/s with {args.connections} connections "
                f"({outcome['failed']} failed)"
            )
    full, yard = totals["f"], totals["y"]
    full_rps = full["ok"] / full["elapsed"] if full["elapsed"] else 0.0
    yard_rps = yard["ok"] / yard["elapsed"] if yard["elapsed"] else 0.0
    # Per request sent: a request the client gave up on was usually still served.
    full_cpu = CpuMeter.per_request(full["cpu"], full["ok"] + full["failed"])
    yard_cpu = CpuMeter.per_request(yard["cpu"], yard["ok"] + yard["failed"])
    server_cost = {
        name: cpu["django"] + cpu["postgres"]
        for name, cpu in (("f", full_cpu), ("y", yard_cpu))
        if cpu["django"] is not None
    }
    return {
        "saturation_rps": round(full_rps, 1),
        "saturation_p50_ms": _ms(percentile(full["latencies"], 0.5)),
        "saturation_p99_ms": _ms(percentile(full["latencies"], 0.99)),
        "saturation_failed": full["failed"],
        "yardstick_rps": round(yard_rps, 1),
        "yardstick_p50_ms": _ms(percentile(yard["latencies"], 0.5)),
        "yardstick_failed": yard["failed"],
        "ratio": round(full_rps / yard_rps, 3) if yard_rps else None,
        "saturation_cpu_ms": full_cpu,
        "yardstick_cpu_ms": yard_cpu,
        # yardstick's server CPU per request / the full path's: the ratio a quiet machine with
        # the server alone on its cores would approach
        "cpu_ratio": (
            round(server_cost["y"] / server_cost["f"], 3) if len(server_cost) == 2 else None
        ),
        # what the cores would sustain with nothing else on them (not even the load
        # generator): cores / (Django + PostgreSQL CPU per request); an estimate, not a figure
        # measured, and a pessimistic one (CPU time itself grows on a contended machine)
        "full_path_cpu_bound_rps": (
            round(os.cpu_count() * 1000 / server_cost["f"]) if server_cost.get("f") else None
        ),
        "yardstick_cpu_bound_rps": (
            round(os.cpu_count() * 1000 / server_cost["y"]) if server_cost.get("y") else None
        ),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def warm_up(server: Server, world: World, args, run_id: str) -> None:
    """A few seconds of traffic on both endpoints so every worker and thread has its
    connections and caches, as a server that has been up since morning would."""
    bodies = saturation_bodies(world, args, f"warm-{run_id}", count=200)
    connections = max(2, min(args.connections, server.workers * server.threads * 2))
    for path in (SUBMIT_PATH, YARDSTICK_PATH):
        outcome = in_children(
            [("saturate", (server.base + path, bodies, connections, args.warmup / 2, args))]
        )[0]
        if outcome[0] == 0:
            raise SystemExit(
                f"warm-up on {path}: nothing accepted ({outcome[1]} failed); server log: "
                f"{server.log_path}\n{server.log_path.read_text()[-3000:]}"
            )


def forget_device_use(database_url: str) -> None:
    """Every device as unused, so each server configuration measured pays the same
    first-use writes (last_used_at)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("UPDATE observation_observerdevice SET last_used_at = NULL")


def wait_for_quiet(args) -> None:
    """Other work on a shared machine skews every figure: wait (up to --wait-quiet seconds)
    until the one-minute load average is below --quiet-load."""
    deadline = time.monotonic() + args.wait_quiet
    while os.getloadavg()[0] > args.quiet_load and time.monotonic() < deadline:
        log(f"waiting for a quieter machine: load average {os.getloadavg()[0]:.1f}")
        time.sleep(10)


def count_database(database_url: str, run_id: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT idempotency_key, id FROM observation_submission WHERE idempotency_key LIKE %s",
            (f"od-{run_id}-%",),
        ).fetchall()
        alerts = connection.execute(
            "SELECT count(*) FROM observation_alert a JOIN observation_submission s "
            "ON s.id = a.submission_id WHERE s.idempotency_key LIKE %s",
            (f"od-{run_id}-%",),
        ).fetchone()[0]
    return {"rows": rows, "alerts": alerts}


def tally(slots: list[Slot], outcome: OpenLoopOutcome, stored_rows: list, args) -> dict:
    results = outcome.results
    latencies = [r.latency for r in results]
    accepted_keys: set[str] = set()
    ids_by_key: dict[str, set[int]] = {}
    created_by_key: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for result in results:
        slot = slots[result.index]
        label = {0: "timeout", -1: "error"}.get(result.status, str(result.status))
        statuses[label] = statuses.get(label, 0) + 1
        if result.status in (200, 201):
            accepted_keys.add(slot.key)
            if result.submission_id is not None:
                ids_by_key.setdefault(slot.key, set()).add(result.submission_id)
            if result.created:
                created_by_key[slot.key] = created_by_key.get(slot.key, 0) + 1
    sent_keys = {slot.key for slot in slots}
    stored: dict[str, list[int]] = {}
    for key, pk in stored_rows:
        stored.setdefault(key, []).append(pk)
    stored_keys = set(stored)
    duplicates = (
        sum(len(pks) - 1 for pks in stored.values())  # two rows for one key (cannot: unique)
        + sum(count - 1 for count in created_by_key.values())  # "created" twice for one key
        + sum(len(ids) - 1 for ids in ids_by_key.values())  # a re-send answered with another id
        + sum(  # an answer naming a row that is not the one stored for the key
            1 for key, ids in ids_by_key.items() if key in stored and not ids <= set(stored[key])
        )
        + len(stored_keys - sent_keys)
    )
    lost = len(sent_keys - (accepted_keys & stored_keys))
    answered = [r for r in results if r.status in (200, 201)]
    # From the first scheduled start to the last answer (at least the offered duration).
    span = max([args.duration, *(slots[r.index].at + r.latency for r in results)])
    return {
        "offered_rps": round(len(slots) / args.duration, 1),
        "achieved_rps": round(len(answered) / span, 1),
        "p50_ms": _ms(percentile(latencies, 0.5)),
        "p90_ms": _ms(percentile(latencies, 0.9)),
        "p99_ms": _ms(percentile(latencies, 0.99)),
        "max_ms": _ms(max(latencies) if latencies else None),
        "requests": len(slots),
        "resent": sum(slot.resend for slot in slots),
        "statuses": dict(sorted(statuses.items())),
        "unique_keys": len(sent_keys),
        "accepted": len(accepted_keys),
        "stored": len(stored_rows),
        "duplicates": duplicates,
        "lost": lost,
        "accepted_not_stored": len(accepted_keys - stored_keys),
        "stored_not_acknowledged": len(stored_keys - accepted_keys),
    }


# --- Profiling (in this process, no server) ----------------------------------------------------


def profile(world: World, args, run_id: str) -> None:
    """Send `--profile` submissions through Django's test client: queries per request, and
    where the time goes (cProfile, sorted by own time)."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient()
    rng = random.Random(args.seed + 3)

    def one(prefix: str, path: str = SUBMIT_PATH, who: Client | None = None) -> int:
        who = who or rng.choice(world.clients)
        key = f"{prefix}-{run_id}-{uuid.uuid4().hex}"
        body = body_for(world, who, key, rng, alert=False)
        response = client.post(
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {who.token}",
            HTTP_HOST="127.0.0.1",
        )
        return response.status_code

    for who in world.clients:  # every device used once (last_used_at set), as in steady state
        one("warm", who=who)
        one("warm", YARDSTICK_PATH, who=who)
    for path in (SUBMIT_PATH, YARDSTICK_PATH):
        with CaptureQueriesContext(connection) as queries:
            statuses = [one("prof", path) for _n in range(20)]
        log(f"{path}: statuses {sorted(set(statuses))}, {len(queries) / 20:.2f} queries/request")
        for query in queries.captured_queries[:6]:
            log(f"    {query['sql'][:150]}")
    reset_queries()
    for _round in range(2):
        for path in (SUBMIT_PATH, YARDSTICK_PATH):
            wall, cpu = time.perf_counter(), time.process_time()
            for _n in range(args.profile):
                one("time", path)
            wall = (time.perf_counter() - wall) / args.profile * 1000
            cpu = (time.process_time() - cpu) / args.profile * 1000
            log(f"{path}: {wall:.2f} ms per request in-process, {cpu:.2f} ms of it CPU here")
    for path in (SUBMIT_PATH, YARDSTICK_PATH):
        profiler = cProfile.Profile(time.thread_time)  # CPU time: robust to a busy machine
        began = time.perf_counter()
        profiler.enable()
        for _n in range(args.profile):
            one("prof", path)
        profiler.disable()
        per_request = (time.perf_counter() - began) / args.profile * 1000
        log(f"{path}: {per_request:.2f} ms per request in-process (with the profiler on)")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(70)


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--rate", type=float, default=1000, help="submissions per second offered (1000)")
    add("--duration", type=float, default=60, help="seconds of election day (60)")
    add("--observers", type=int, default=6000, help="deployed observers, one device each")
    add("--stations", type=int, default=3000, help="polling stations in the geography")
    add("--mobile-share", type=float, default=0.05, help="observers in mobile teams (0.05)")
    add("--resend", type=float, default=0.02, help="share of requests re-sending a key (0.02)")
    add("--alert-share", type=float, default=0.01, help="submissions with a critical answer")
    add("--workers", type=int, default=2, help="gunicorn workers (2)")
    add("--threads", type=int, default=8, help="threads per gthread worker (8)")
    add("--sweep", default="", help="try configurations first, e.g. 2x8,3x8,4x4; keep the best")
    add("--connections", type=int, default=500, help="saturation connections (500)")
    add("--saturation-seconds", type=float, default=20, help="per endpoint, all rounds (20)")
    add("--saturation-rounds", type=int, default=2, help="alternating rounds per endpoint (2)")
    add("--client-procs", type=int, default=1, help="load generator processes (1)")
    add("--client-connections", type=int, default=500, help="open-loop pool size per process")
    add("--timeout", type=float, default=10, help="seconds before a request counts as lost")
    add("--warmup", type=float, default=4, help="seconds of warm-up traffic (4)")
    add("--db", default="birlik_bench", help="database to (re)create (birlik_bench*)")
    add("--keep-db", action="store_true", help="leave the database for a look afterwards")
    add("--no-template", action="store_true", help="migrate from scratch, no template database")
    add(
        "--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    add("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    add("--conn-max-age", type=int, default=None, help="override DATABASE_CONN_MAX_AGE")
    add("--health-checks", choices=["0", "1"], help="override DATABASE_CONN_HEALTH_CHECKS")
    add("--profile", type=int, default=0, help="profile N in-process requests instead")
    add("--skip-saturation", action="store_true")
    add("--wait-quiet", type=float, default=0, help="wait up to N s for a quiet machine")
    add("--quiet-load", type=float, default=1.0, help="load average that counts as quiet")
    add("--seed", type=int, default=2026)
    add("--tiny", action="store_true", help="a few seconds on a tiny election (smoke test)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.rate, args.duration, args.observers, args.stations = 40, 2, 40, 120
        args.workers, args.threads, args.connections, args.client_connections = 1, 4, 16, 32
        args.saturation_seconds, args.saturation_rounds, args.warmup = 2, 1, 1
        args.resend, args.sweep = 0.1, ""
    return args


def _stop(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def main(argv=None) -> dict:
    args = parse_args(argv)
    pg = Postgres(args.postgres)
    if not postgres_reachable(pg.url("postgres")):
        raise SystemExit(f"PostgreSQL is not reachable at {args.postgres}")
    if not redis_reachable(args.redis_url):
        raise SystemExit(f"Redis is not reachable at {args.redis_url}")
    run_id = secrets.token_hex(4)
    work_dir = Path(tempfile.mkdtemp(prefix="birlik-bench-"))
    static_root = work_dir / "static"
    static_root.mkdir()
    for signum in (signal.SIGTERM, signal.SIGINT):  # stop cleanly: server, database, files
        signal.signal(signum, _stop)
    try:
        fresh_database(pg, args.db, use_template=not args.no_template)
        database_url = pg.url(args.db)
        env = server_env(args, database_url, str(static_root))
        setup_django(env)
        world = seed(args)
        if args.profile:
            profile(world, args, run_id)
            return {}
        return benchmark(args, env, world, work_dir, run_id, database_url)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            pg.drop(args.db)
        shutil.rmtree(work_dir, ignore_errors=True)


def benchmark(args, env, world: World, work_dir: Path, run_id: str, database_url: str) -> dict:
    configurations = [(args.workers, args.threads)]
    sweep = {}
    if args.sweep:
        configurations = [tuple(int(n) for n in item.split("x")) for item in args.sweep.split(",")]
        for workers, threads in configurations:
            server = Server(env, workers=workers, threads=threads, log_dir=work_dir)
            forget_device_use(database_url)
            server.start()
            try:
                warm_up(server, world, args, run_id)
                wait_for_quiet(args)
                meter = CpuMeter(server, database_url, args.db)
                sweep[server.label] = saturation_pass(server, world, args, run_id, meter)
            finally:
                server.stop()
            log(f"sweep {server.label}: {json.dumps(sweep[server.label])}")
        best = max(sweep, key=lambda label: sweep[label]["saturation_rps"])
        configurations = [tuple(int(n) for n in best.split("x"))]
        log(f"best configuration: {best}")
    workers, threads = configurations[0]
    server = Server(env, workers=workers, threads=threads, log_dir=work_dir)
    slots = election_day_schedule(world, args, run_id)
    forget_device_use(database_url)
    server.start()
    try:
        warm_up(server, world, args, run_id)
        wait_for_quiet(args)
        load_before = [round(value, 1) for value in os.getloadavg()]
        meter = CpuMeter(server, database_url, args.db)
        before = meter.snapshot()
        outcome = run_open_loop(server, slots, args)
        after = meter.snapshot()
        meter.wait_until_idle()  # requests the client gave up on may still be in the server
        rows = count_database(database_url, run_id)
        report = tally(slots, outcome, rows["rows"], args)
        report["alerts_stored"] = rows["alerts"]
        spent = CpuMeter.spent(before, after)
        # PostgreSQL is left out here: over a minute, kept connections reach CONN_MAX_AGE and
        # their backends end, taking their CPU count with them (the saturation figures have it).
        del spent["postgres"]
        report["cpu_ms"] = CpuMeter.per_request(spent, len(outcome.results))
        log(
            "election day: "
            + ", ".join(
                f"{key} {report[key]}"
                for key in ("achieved_rps", "p50_ms", "p99_ms", "accepted", "stored", "lost")
            )
            + f", statuses {report['statuses']}"
        )
        if not args.skip_saturation:
            report.update(saturation_pass(server, world, args, run_id, meter))
        server_errors = server.errors()
    finally:
        server.stop()
    if server_errors:
        log(f"server log has {len(server_errors)} error lines, e.g. {server_errors[:3]}")
    report.update(
        {
            "server": "gunicorn gthread",
            "workers": workers,
            "threads": threads,
            "duration": args.duration,
            "connections": args.connections,
            "client_procs": args.client_procs,
            "observers": len(world.clients),
            "stations": world.station_count,
            "cpus": os.cpu_count(),
            "load_average_at_start": load_before,  # of election day
            "load_average_after": [round(value, 1) for value in os.getloadavg()],
            "server_error_lines": len(server_errors),
            "targets_met": {
                "p99_under_250ms": report["p99_ms"] is not None and report["p99_ms"] < 250,
                "nothing_lost": report["lost"] == 0,
                "nothing_duplicated": report["duplicates"] == 0,
                "ratio_at_least_0.75": (report.get("ratio") or 0) >= 0.75,
                "rate_held": report["achieved_rps"] >= 0.98 * report["offered_rps"],
            },
        }
    )
    if sweep:
        report["sweep"] = {
            label: {k: v[k] for k in ("saturation_rps", "yardstick_rps", "ratio", "cpu_ratio")}
            for label, v in sweep.items()
        }
    return report


if __name__ == "__main__":
    result = main()
    if result:
        print(json.dumps(result, ensure_ascii=False), flush=True)
