"""Demo protocol photos waiting for double entry, for the demo presidential election.

Draws a dozen protocol forms with Pillow (title, station code, every line and every candidate,
with the demo's "true" figures from results.demo_truth) and stores them as data-entry tasks
through the real upload service. Most wait for a first entry; when the demo clerks exist
(core's seed_demo creates data-clerk, data-clerk-2 and data-clerk-3 @demo.birlik.az), one waits
for a second entry (entered by data-clerk) and one for arbitration (data-clerk and data-clerk-2
read a number differently), so every screen has something to show. Running it again changes
nothing. The pictures are synthetic and say so.
"""

import io
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from elections.demo import PRESIDENTIAL
from elections.models import Contest, Election
from results import entry
from results.demo_truth import true_counts
from results.models import DataEntryTask

TASK_COUNT = 12
CLERK_EMAILS = ("data-clerk@demo.birlik.az", "data-clerk-2@demo.birlik.az")

#: The protocol's lines as an Azerbaijani protocol form words them (text in the picture).
LINE_TEXT = (
    ("registered", "1. Seçici siyahısına daxil edilmiş seçicilərin sayı"),
    ("received", "2. Məntəqə komissiyasının aldığı bülletenlərin sayı"),
    ("issued", "3. Seçicilərə verilmiş bülletenlərin sayı"),
    ("cast", "4. Seçki qutularında olan bülletenlərin sayı"),
    ("spoiled", "5. Korlanmış bülletenlərin sayı"),
    ("invalid", "6. Etibarsız bülletenlərin sayı"),
    ("valid", "7. Etibarlı bülletenlərin sayı"),
)
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


def _font(size: int):
    for path in _FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def draw_protocol(*, election_name: str, station_code: str, numbers: dict, options, rng) -> bytes:
    """A JPEG of a filled-in protocol form (synthetic, marked as a demo)."""
    width, height = 1000, 1320
    image = Image.new("RGB", (width, height), (250, 248, 240))
    pen = ImageDraw.Draw(image)
    title, body, digits, small = _font(30), _font(22), _font(30), _font(18)
    ink, blue = (30, 30, 30), (25, 45, 140)
    pen.text((width // 2, 50), "PROTOKOL", font=title, fill=ink, anchor="mm")
    pen.text(
        (width // 2, 92),
        "məntəqə seçki komissiyasının səsvermənin nəticələri haqqında",
        font=body,
        fill=ink,
        anchor="mm",
    )
    pen.text((width // 2, 128), election_name, font=body, fill=ink, anchor="mm")
    pen.text((60, 175), "Seçki məntəqəsi №", font=body, fill=ink)
    pen.text((300, 168), station_code, font=digits, fill=blue)
    y = 240

    def row(label: str, value) -> None:
        nonlocal y
        pen.text((60, y), label, font=body, fill=ink)
        pen.rectangle((760, y - 8, 940, y + 34), outline=ink, width=2)
        if value is not None:
            pen.text(
                (925 + rng.randint(-6, 2), y + 13), str(value), font=digits, fill=blue, anchor="rm"
            )
        y += 62

    for line, label in LINE_TEXT:
        row(label, numbers.get(line))
    y += 10
    pen.text((60, y), "8. Namizədlərin lehinə verilmiş səslərin sayı:", font=body, fill=ink)
    y += 50
    for option in options:
        row(
            f"   {option.ballot_number}. {option.name_az}",
            numbers["votes"].get(str(option.ballot_number)),
        )
    y += 30
    pen.text((60, y), "Komissiyanın sədri: ____________", font=body, fill=ink)
    pen.text((560, y), "Katib: ____________", font=body, fill=ink)
    pen.text(
        (width // 2, height - 40),
        "DEMO — synthetic protocol, invented figures",
        font=small,
        fill=(160, 40, 40),
        anchor="mm",
    )
    # A photo is never quite straight.
    image = image.rotate(rng.uniform(-1.2, 1.2), expand=False, fillcolor=(235, 235, 230))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def _misread(numbers: dict) -> dict:
    """The same protocol with one candidate's count misread (a 3 taken for an 8)."""
    votes = dict(numbers["votes"])
    first = next(iter(votes))
    votes[first] = votes[first] + 5
    return numbers | {"votes": votes}


def build_demo_entry_tasks(*, actor=None, seed: int = 2026) -> dict:
    election = Election.objects.filter(name_en=PRESIDENTIAL["name_en"]).first()
    if election is None:
        return {"tasks": 0, "note": "no demo presidential election"}
    contest = (
        Contest.objects.filter(election=election, kind=Contest.Kind.NATIONAL)
        .order_by("round")
        .first()
    )
    if contest is None:
        return {"tasks": 0, "note": "no national contest"}
    options = list(contest.options.order_by("ballot_number"))
    uploads = DataEntryTask.objects.filter(
        election=election, contest=contest, submission_photo__isnull=True
    ).exclude(upload="")
    have = set(uploads.values_list("station_id", flat=True))
    truth = {count.station_id: count for count in true_counts(contest, seed=seed)}
    rng = random.Random(seed)
    chosen = sorted(rng.sample(sorted(truth), min(TASK_COUNT, len(truth))))
    created = 0
    if len(have) < TASK_COUNT:
        from geo.models import PollingStation

        stations = PollingStation.objects.in_bulk([pk for pk in chosen if pk not in have])
        for pk in chosen:
            if pk in have or len(have) >= TASK_COUNT:
                continue
            count = truth[pk]
            image = draw_protocol(
                election_name=election.name_az,
                station_code=count.station_code,
                numbers=count.numbers,
                options=options,
                rng=random.Random(seed + pk),
            )
            entry.create_task_from_upload(
                election=election,
                contest=contest,
                station=stations[pk],
                uploaded_file=SimpleUploadedFile(
                    f"protocol-{count.station_code}.jpg", image, content_type="image/jpeg"
                ),
                actor=actor,
            )
            have.add(pk)
            created += 1

    entered = {"second_entry": 0, "arbitration": 0}
    users = get_user_model().objects.filter(email__in=CLERK_EMAILS)
    clerks = {user.email: user for user in users}
    clerk_1, clerk_2 = (clerks.get(email) for email in CLERK_EMAILS)
    tasks = list(uploads.order_by("created_at", "pk"))
    started = any(task.status != DataEntryTask.Status.FIRST_ENTRY for task in tasks)
    if clerk_1 is not None and not started and len(tasks) >= 2:
        waiting = tasks[0]
        entry.submit_entry(waiting, clerk_1, truth[waiting.station_id].numbers)
        entered["second_entry"] = 1
        if clerk_2 is not None:
            disputed = tasks[1]
            numbers = truth[disputed.station_id].numbers
            entry.submit_entry(disputed, clerk_1, numbers)
            entry.submit_entry(disputed, clerk_2, _misread(numbers))
            entered["arbitration"] = 1
    return {"tasks": uploads.count(), "created": created, **entered}
