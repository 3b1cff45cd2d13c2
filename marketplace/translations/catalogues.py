"""What the shop says, and whether each catalogue says it.

The shop speaks Vietnamese first, so **every message id we write is
Vietnamese** and `locale/en` gives its English. Oscar's and Django's ids are
English; their Vietnamese comes from Oscar's own catalogue, completed and
corrected by our `locale/vi`, which comes first in `LOCALE_PATHS` and so
wins wherever it has an entry.

"What we serve" is found the way Django finds it: `makemessages` runs over a
scratch copy of our code and templates plus Oscar's shopper-facing apps,
the Oscar templates we did not fork, and the Wagtail admin apps organizers
work in (their ids are English, like Oscar's). So a string added anywhere a shopper,
producer or organizer can see it is checked the day it is added, by the
translation test, and `manage.py messages_update` puts it in the right
catalogue for a translator. The dashboard stays in Oscar's Vietnamese,
with our corrections where Oscar's is wrong.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import django
import oscar
import wagtail
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

OSCAR = Path(oscar.__file__).parent
OUR_SOURCES = ("marketplace", "catalogue", "cms", "search", "templates")
# Oscar apps whose strings reach shoppers and producers.
OSCAR_SHOPPER_APPS = (
    "address",
    "basket",
    "catalogue",
    "checkout",
    "customer",
    "offer",
    "order",
    "partner",
    "payment",
    "search",
    "shipping",
    "voucher",
    "wishlists",
)
# Wagtail apps whose admin screens organizers work in (their templates and
# code); Wagtail's own Vietnamese covers about one string in seven.
WAGTAIL_ORGANIZER_APPS = (
    "",
    "admin",
    "documents",
    "embeds",
    "images",
    "locales",
    "search",
    "sites",
    "snippets",
    "users",
    "contrib/forms",
    "contrib/redirects",
    "contrib/settings",
)
SKIP_DIRS = {"migrations", "dashboard", "__pycache__", "static", "locale", "tests", "test"}
UPSTREAM_COPIES = ("oscar_apps/", "oscar_templates/", "wagtail_apps/")
UPSTREAM_CATALOGUES = (
    OSCAR / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    *(
        Path(wagtail.__file__).parent / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        for app in WAGTAIL_ORGANIZER_APPS
    ),
)
WAGTAIL_SCRIPT_IDS = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
WAGTAIL_SCRIPT_VIETNAMESE = (
    Path(wagtail.__file__).parent / "admin/locale/vi/LC_MESSAGES/djangojs.po"
)
# Words that give an English id away; ours must be Vietnamese.
ENGLISH_WORDS = frozenset(
    "the a an is are be to of and or your you this that have has not no any it "
    "in on for with from by was will can please".split()
)
# Vietnamese seen in Oscar's catalogue that says the wrong thing to a
# shopper; none of it may reach a served page.
KNOWN_WRONG_VIETNAMESE = (
    "Điểm tích lũy",
    "Những vật phẩm để mua bây giờ",
    "Cam kết thực hiện",
    "thuêus",
    "Không tồn tại tồn kho",
)


def repo_dir() -> Path:
    return Path(settings.BASE_DIR)


def catalogue_path(language: str, suffix: str = "po", domain: str = "django") -> Path:
    return repo_dir() / "locale" / language / "LC_MESSAGES" / f"{domain}.{suffix}"


@dataclass(frozen=True)
class Message:
    """One message id as extracted, with where it is used."""

    msgid: str
    plural: str | None
    context: str | None
    locations: tuple[tuple[str, int], ...]

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def babel_id(self):
        return self.msgid if self.plural is None else (self.msgid, self.plural)

    @property
    def gettext_key(self):
        """The key Django's loaded gettext catalogue uses for this message."""
        msgid = f"{self.context}\x04{self.msgid}" if self.context else self.msgid
        return msgid if self.plural is None else (msgid, 0)


def _copy_tree(src: Path, dst: Path, suffixes=(".py", ".html", ".txt"), skip=SKIP_DIRS) -> None:
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            if name.endswith(suffixes):
                source = Path(root) / name
                target = dst / source.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def _copy_oscar_templates_we_serve(dst: Path) -> None:
    """Oscar's templates minus the dashboard and minus those we override."""
    base = OSCAR / "templates"
    for path in base.rglob("*.*"):
        relative = path.relative_to(base)
        if not path.is_file() or relative.parts[:2] == ("oscar", "dashboard"):
            continue
        if (repo_dir() / "templates" / relative).exists():
            continue  # ours is the one rendered
        target = dst / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _copy_wagtail_core(dst: Path) -> None:
    """Wagtail's core package minus the apps inside it (copied on their own)."""
    base = Path(wagtail.__file__).parent
    inner = {app.split("/")[0] for app in WAGTAIL_ORGANIZER_APPS if app} | {"contrib"}
    for path in base.iterdir():
        if path.is_dir() and path.name not in inner and path.name not in SKIP_DIRS:
            _copy_tree(path, dst / path.name)
        elif path.suffix == ".py":
            dst.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst / path.name)


def _read_pot(path: Path) -> Catalog:
    text = path.read_text(encoding="utf-8")
    # xgettext leaves the plural header as a placeholder babel cannot parse.
    text = text.replace("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1);")
    return read_po(io.StringIO(text))


def _makemessages(tree: Path) -> Catalog:
    """The ids `makemessages` finds in `tree`, as a catalogue."""
    (tree / "locale").mkdir()
    here = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[str(tree / "locale")]):
            call_command("makemessages", locale=["en"], keep_pot=True, verbosity=0)
    finally:
        os.chdir(here)
    return _read_pot(tree / "locale" / "django.pot")


def extract_messages() -> list[Message]:
    """Every message id in what we serve, as `makemessages` finds it."""
    with tempfile.TemporaryDirectory(prefix="ocop-messages-") as scratch:
        tree = Path(scratch)
        for name in OUR_SOURCES:
            # Our operator screens too: an operator in English mode must not
            # meet our Vietnamese (Oscar's own dashboard is left to Oscar).
            _copy_tree(repo_dir() / name, tree / name, skip=SKIP_DIRS - {"dashboard"})
        _copy_oscar_templates_we_serve(tree / "oscar_templates")
        for app in OSCAR_SHOPPER_APPS:
            _copy_tree(OSCAR / "apps" / app, tree / "oscar_apps" / app, suffixes=(".py",))
        for app in WAGTAIL_ORGANIZER_APPS:
            if app:
                _copy_tree(Path(wagtail.__file__).parent / app, tree / "wagtail_apps" / app)
            else:
                _copy_wagtail_core(tree / "wagtail_apps" / "core")
        catalogue = _makemessages(tree)
    messages = []
    for m in catalogue:
        if not m.id:
            continue
        msgid, plural = (m.id, None) if isinstance(m.id, str) else (m.id[0], m.id[1])
        messages.append(Message(msgid, plural, m.context, tuple(m.locations)))
    return messages


def oscar_dashboard_ids() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message Oscar's dashboard code and templates
    use. Oscar's own catalogues predate some of them (the bulk-selection
    counter, the bulk actions), so those ids are in no catalogue at all: our
    `locale/vi` is the only place their Vietnamese can live."""
    with tempfile.TemporaryDirectory(prefix="ocop-dashboard-messages-") as scratch:
        tree = Path(scratch)
        _copy_tree(OSCAR / "apps" / "dashboard", tree / "apps", skip={"migrations", "__pycache__"})
        _copy_tree(OSCAR / "templates" / "oscar" / "dashboard", tree / "templates", skip=set())
        catalogue = _makemessages(tree)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}


def upstream_ids() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message Oscar or Django defines (English ids)."""
    keys = set()
    for path in UPSTREAM_CATALOGUES:
        with open(path, "rb") as po:
            for m in read_po(po):
                if m.id:
                    keys.add((m.context, m.id if isinstance(m.id, str) else m.id[0]))
    return keys


def is_english_source(message: Message, upstream: set) -> bool:
    """Oscar's and Django's ids are English; every id we write is Vietnamese."""
    if message.key in upstream:
        return True
    return all(path.startswith(UPSTREAM_COPIES) for path, _line in message.locations)


def looks_english(text: str) -> bool:
    """A crude guard for our own ids: mostly common English words, no accents."""
    if any(ord(c) > 127 and c.isalpha() for c in text):
        return False
    words = [w.strip(".,:;!?()'\"-").lower() for w in text.split()]
    words = [w for w in words if w.isalpha()]
    return len(words) >= 3 and sum(w in ENGLISH_WORDS for w in words) * 3 >= len(words)


def read_catalogue(language: str, domain: str = "django") -> Catalog:
    path = catalogue_path(language, domain=domain)
    if not path.exists():
        return Catalog(locale=language)
    with open(path, "rb") as po:
        return read_po(po, locale=language)


def _rebuilt(language: str, messages: Iterable[Message], keep: Catalog) -> Catalog:
    """A catalogue of exactly `messages`, keeping every translation `keep` has."""
    catalogue = Catalog(
        locale=language,
        project="ocop-marketplace",
        version="1",
        charset="utf-8",
        fuzzy=False,
        # Kept from the last run, so a refresh that changes nothing leaves
        # the files as they were.
        creation_date=keep.creation_date,
        revision_date=keep.revision_date,
    )
    for message in messages:
        old = keep.get(message.babel_id, context=message.context)
        empty = "" if message.plural is None else ("",) * catalogue.num_plurals
        string = old.string if old is not None and not old.fuzzy else empty
        if isinstance(string, str) != isinstance(empty, str):
            string = empty  # the id gained or lost its plural: translate again
        catalogue.add(
            message.babel_id, string, locations=message.locations, context=message.context
        )
    return catalogue


def write_catalogue(language: str, catalogue: Catalog, domain: str = "django") -> None:
    """Write the .po a translator edits and the .mo Django reads, together."""
    path = catalogue_path(language, domain=domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as po:
        write_po(po, catalogue, width=100, omit_header=False, ignore_obsolete=True)
    with open(catalogue_path(language, "mo", domain=domain), "wb") as mo:
        write_mo(mo, catalogue, use_fuzzy=False)


def update_catalogues(messages: list[Message] | None = None) -> dict[str, int]:
    """Bring `locale/en` and `locale/vi` in line with what we serve.

    `locale/en` holds every Vietnamese id we serve. `locale/vi` holds the
    English ids Oscar leaves untranslated, plus our corrections of Oscar's
    Vietnamese (kept while the id is still served). Existing translations
    are kept; new ids arrive empty for a translator; ids no longer served
    are dropped. Returns how many entries each still lacks.
    """
    messages = extract_messages() if messages is None else messages
    upstream = upstream_ids()
    oscar_vi = {}
    for path in UPSTREAM_CATALOGUES:
        with open(path, "rb") as po:
            for m in read_po(po):
                if m.id and m.string and not m.fuzzy:
                    oscar_vi[(m.context, m.id if isinstance(m.id, str) else m.id[0])] = m
    ours_vi = read_catalogue("vi")

    def needs_our_vietnamese(message: Message) -> bool:
        if ours_vi.get(message.babel_id, context=message.context) is not None:
            return True  # a correction (or fill) we already made
        return message.key not in oscar_vi

    english_catalogue = _rebuilt(
        "en", (m for m in messages if not is_english_source(m, upstream)), read_catalogue("en")
    )
    vietnamese_catalogue = _rebuilt(
        "vi",
        (m for m in messages if is_english_source(m, upstream) and needs_our_vietnamese(m)),
        ours_vi,
    )
    # Corrections of Oscar's Vietnamese outside the extracted set (the
    # dashboard's, for operators) are deliberate: keep them while Oscar
    # still has the id, in its catalogue or in its dashboard's code.
    oscar_ids = upstream | oscar_dashboard_ids()
    for entry in ours_vi:
        key = (entry.context, entry.id if isinstance(entry.id, str) else entry.id[0])
        served = vietnamese_catalogue.get(entry.id, context=entry.context) is not None
        if entry.id and not served and key in oscar_ids and _translated(entry):
            vietnamese_catalogue.add(entry.id, entry.string, context=entry.context)
    write_catalogue("en", english_catalogue)
    write_catalogue("vi", vietnamese_catalogue)
    return {
        "en": sum(1 for m in english_catalogue if m.id and not _translated(m)),
        "vi": sum(1 for m in vietnamese_catalogue if m.id and not _translated(m)),
    }


def script_messages() -> list[Message]:
    """Every id the organizers' admin scripts ask Wagtail's JS catalogue for.

    Wagtail ships its script strings as the `djangojs` domain of
    `wagtail.admin`, served at /admin/jsi18n/; its English catalogue lists
    every id (our own scripts take their words from the page, not from
    gettext). Django merges LOCALE_PATHS over the package's catalogue for
    that view too, so `locale/vi/LC_MESSAGES/djangojs.po` fills the gaps.
    """
    with open(WAGTAIL_SCRIPT_IDS, "rb") as po:
        source = read_po(po)
    return [
        Message(
            msgid=m.id if isinstance(m.id, str) else m.id[0],
            plural=None if isinstance(m.id, str) else m.id[1],
            context=m.context,
            locations=(),
        )
        for m in source
        if m.id
    ]


def upstream_script_vietnamese() -> set[tuple[str | None, str]]:
    """The script ids Wagtail's own Vietnamese already translates."""
    with open(WAGTAIL_SCRIPT_VIETNAMESE, "rb") as po:
        return {
            (m.context, m.id if isinstance(m.id, str) else m.id[0])
            for m in read_po(po)
            if m.id and _translated(m)
        }


def update_script_catalogue() -> int:
    """Bring `locale/vi/LC_MESSAGES/djangojs.po` in line with Wagtail's
    script ids: the ones Wagtail leaves untranslated, translations kept.
    Returns how many still lack Vietnamese."""
    done = upstream_script_vietnamese()
    catalogue = _rebuilt(
        "vi",
        (m for m in script_messages() if m.key not in done),
        read_catalogue("vi", domain="djangojs"),
    )
    write_catalogue("vi", catalogue, domain="djangojs")
    return sum(1 for m in catalogue if m.id and not _translated(m))


def _translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return not message.fuzzy and all(strings)
