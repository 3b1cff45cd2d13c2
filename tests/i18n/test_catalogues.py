"""Every string we serve is in the visitor's language (issue 15, finding 3).

Our ids are Vietnamese and need English in `locale/en`; Oscar's ids are
English and need Vietnamese from Oscar's catalogue or our `locale/vi`. The
ids come from `makemessages` over what we serve (see
`marketplace/translations/catalogues.py`), so a new string fails here
until `make messages` has put it in a catalogue and someone translated it.
"""

import json

import pytest
from django.utils.translation import trans_real

from marketplace.translations.catalogues import (
    KNOWN_WRONG_VIETNAMESE,
    extract_messages,
    is_english_source,
    looks_english,
    read_catalogue,
    script_messages,
    upstream_ids,
)


@pytest.fixture(scope="module")
def served():
    return extract_messages()


@pytest.fixture(scope="module")
def upstream():
    return upstream_ids()


def _where(message) -> str:
    path, line = message.locations[0]
    return f"{path}:{line}  {message.msgid[:70]!r}"


def _loaded(language):
    """The catalogue Django really uses: ours over Oscar's over Django's."""
    return trans_real.translation(language)._catalog


def test_every_vietnamese_string_we_serve_has_its_english(served, upstream):
    english = _loaded("en")
    missing = [
        _where(m)
        for m in served
        if not is_english_source(m, upstream) and not english.get(m.gettext_key)
    ]
    assert not missing, f"{len(missing)} ids without English (run `make messages`):\n" + "\n".join(
        missing[:40]
    )


def test_every_oscar_string_we_serve_has_its_vietnamese(served, upstream):
    vietnamese = _loaded("vi")
    missing = [
        _where(m)
        for m in served
        if is_english_source(m, upstream) and not vietnamese.get(m.gettext_key)
    ]
    assert not missing, (
        f"{len(missing)} of Oscar's ids show in English to Vietnamese visitors "
        "(fill them in locale/vi):\n" + "\n".join(missing[:40])
    )


def test_the_ids_we_write_are_vietnamese(served, upstream):
    english_ids = [
        _where(m) for m in served if not is_english_source(m, upstream) and looks_english(m.msgid)
    ]
    assert not english_ids, "our message ids must be Vietnamese:\n" + "\n".join(english_ids)


@pytest.mark.parametrize(
    "language,domain", [("en", "django"), ("vi", "django"), ("vi", "djangojs")]
)
def test_our_catalogues_have_no_fuzzy_or_empty_entries(language, domain):
    entries = [m for m in read_catalogue(language, domain=domain) if m.id]
    assert entries
    fuzzy = [str(m.id)[:70] for m in entries if m.fuzzy]
    strings = [(m.id, [m.string] if isinstance(m.string, str) else list(m.string)) for m in entries]
    empty = [str(msgid)[:70] for msgid, values in strings if not all(values)]
    assert not fuzzy, f"fuzzy in locale/{language}: {fuzzy[:20]}"
    assert not empty, f"untranslated in locale/{language}: {empty[:20]}"


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_compiled_catalogue_is_the_one_translators_edited(language):
    loaded = _loaded(language)
    stale = []
    for m in read_catalogue(language):
        if not m.id or m.fuzzy:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        key = f"{m.context}\x04{msgid}" if m.context else msgid
        expected = m.string if isinstance(m.id, str) else m.string[0]
        got = loaded.get(key if isinstance(m.id, str) else (key, 0))
        if expected and got != expected:
            stale.append(msgid[:70])
    assert not stale, f"locale/{language}/django.mo is older than its .po: {stale[:10]}"


def test_no_known_wrong_vietnamese_reaches_a_page():
    loaded = _loaded("vi")
    # keys() walks every layer; loaded[key] is what a page gets (ours first)
    effective = {key: loaded[key] for key in set(loaded.keys())}
    wrong = [
        (key, value)
        for key, value in effective.items()
        if any(bad in value for bad in KNOWN_WRONG_VIETNAMESE)
    ]
    assert not wrong, wrong[:10]


def test_translation_functions_keep_names_makemessages_knows():
    """`gettext_lazy as _lazy` hid the search filters' titles from
    makemessages (xgettext only knows `_`, `gettext`, `gettext_lazy`, …), so
    they stayed Vietnamese in English mode and no catalogue check saw them."""
    import re

    from marketplace.translations.catalogues import OUR_SOURCES, repo_dir

    alias = re.compile(r"from django\.utils\.translation import[^\n]*\bas (?!_\b)(\w+)")
    hidden = [
        f"{path.relative_to(repo_dir())}: as {m.group(1)}"
        for name in OUR_SOURCES
        for path in (repo_dir() / name).rglob("*.py")
        if "migrations" not in path.parts
        for m in alias.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not hidden, hidden


def test_the_page_editors_scripts_speak_vietnamese(rf):
    """Wagtail's admin scripts (block menus, comments, autosave, the
    sidebar) take their words from /admin/jsi18n/; Wagtail's Vietnamese has
    22 of their 85 ids, so organizers saw "Insert a block" and "Expand all"
    in a Vietnamese editor. Served here exactly as that view builds it."""
    from django.utils import translation
    from django.views.i18n import JSONCatalog

    ours = {
        (m.id if isinstance(m.id, str) else m.id[0]): m.string
        for m in read_catalogue("vi", domain="djangojs")
        if m.id
    }
    with translation.override("vi"):
        response = JSONCatalog.as_view(packages=["wagtail.admin"])(rf.get("/admin/jsi18n/"))
    catalog = json.loads(response.content)["catalog"]
    missing = [m.msgid for m in script_messages() if not catalog.get(m.msgid)]
    assert not missing, f"{len(missing)} script strings in English: {missing[:20]}"
    stale = [
        msgid
        for msgid, string in ours.items()
        if (catalog[msgid] if isinstance(string, str) else catalog[msgid][0])
        != (string if isinstance(string, str) else string[0])
    ]
    assert not stale, f"locale/vi/LC_MESSAGES/djangojs.mo is older than its .po: {stale[:10]}"
