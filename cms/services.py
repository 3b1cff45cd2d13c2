"""Write services for the CMS: the home page as the root of the default
site, the three promotional sections under it, and who may write and
publish in them.

Organizers (ban tổ chức hội chợ, sự kiện) draft fairs and events; nothing
they write goes live until a moderator approves it through the workflow.
Moderators (ban kiểm duyệt) may edit and publish everywhere under the home
page. Operators are superusers and need no group.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_noop
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.models import Site as WagtailSite

from cms.models import CraftVillageIndexPage, EventIndexPage, FairIndexPage, HomePage

# Group names stay in English in code and data: they are keys other code and
# the docs look up, while the admin shows them as they are.
ORGANIZERS = "Organizers"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Kiểm duyệt nội dung"
TASK_NAME = "Kiểm duyệt"

# Titles are stored in Vietnamese; gettext_noop marks them for the catalogue
# so the menu (cms_nav.section_links) can show a default title in English.
SECTIONS = (
    ("fairs", FairIndexPage, gettext_noop("Hội chợ"), "hoi-cho"),
    ("events", EventIndexPage, gettext_noop("Sự kiện"), "su-kien"),
    ("villages", CraftVillageIndexPage, gettext_noop("Làng nghề"), "lang-nghe"),
)

# Enough to upload and pick pictures (galleries, OpenGraph images) and files
# (programmes, brochures) in any collection.
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
# No `publish`: organizers' pages go live only through moderation.
ORGANIZER_PAGE_PERMISSIONS = ("add", "change")
MODERATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")


def _tree_root_ensure() -> Page:
    """Wagtail's tree root, recreated if a database flush removed it along
    with the default locale that Wagtail's migrations create."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def home_page_ensure() -> HomePage:
    """Make our HomePage the root of the default Wagtail site.

    Wagtail's first migration creates a placeholder "Welcome" page; it is
    replaced so `/` renders the marketplace home.
    """
    home = HomePage.objects.first()
    if home is None:
        root = _tree_root_ensure()
        home = HomePage(
            title="Chợ OCOP",
            slug="trang-chu",
            hero_title="Đặc sản OCOP, chính hãng từ làng nghề và hợp tác xã",
            hero_text=(
                "Gạo, sữa, gốm, lụa và hàng thủ công đạt chứng nhận OCOP 3–5 sao, "
                "mua trực tiếp từ chủ thể sản xuất."
            ),
        )
        root.add_child(instance=home)
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is None:
        WagtailSite.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Chợ OCOP",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Chợ OCOP"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def _section_ensure(home: Page, model, title: str, slug: str) -> tuple[Page, bool]:
    """The section's index page under `home`, created and published if missing."""
    page = model.objects.child_of(home).first()
    if page is not None:
        if not page.live:
            page.save_revision().publish()
        return page, False
    page = model(title=title, slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_admin_ensure(name: str) -> tuple[Group, bool]:
    """A group whose members may sign in to the Wagtail admin and use media."""
    group, created = Group.objects.get_or_create(name=name)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    # Wagtail's migration makes the root collection; a flushed test database
    # (or a hand-cleaned one) may lack it, and images need one anyway
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root_collection,
            permission=_permission(app_label, codename),
        )
    return group, created


def _page_permissions_grant(group: Group, page: Page, actions: tuple[str, ...]) -> None:
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", f"{action}_page")
        )


def _workflow_ensure(home: Page, moderators: Group) -> tuple[Workflow, bool]:
    """One approval step by Moderators for every page under the home page.

    Assigned to the home page rather than the tree root, so it replaces
    Wagtail's default "Moderators approval" workflow for the whole site."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow, created


@transaction.atomic
def cms_sections_ensure() -> dict:
    """Make sure the fairs, events and craft-villages sections exist and are
    published under the home page, with the Organizers and Moderators groups
    and the moderation workflow. Safe to run again.

    Returns the section pages (`fairs`, `events`, `villages`), the groups
    (`organizers`, `moderators`), the `workflow`, and `created`: the names
    of what this call created."""
    home = home_page_ensure()
    result: dict = {"home": home, "created": []}
    for key, model, title, slug in SECTIONS:
        page, created = _section_ensure(home, model, title, slug)
        result[key] = page
        if created:
            result["created"].append(title)

    organizers, created = _group_admin_ensure(ORGANIZERS)
    if created:
        result["created"].append(ORGANIZERS)
    # Organizers write fairs and events only: nothing on villages or home.
    for section in (result["fairs"], result["events"]):
        _page_permissions_grant(organizers, section, ORGANIZER_PAGE_PERMISSIONS)

    moderators, created = _group_admin_ensure(MODERATORS)
    if created:
        result["created"].append(MODERATORS)
    _page_permissions_grant(moderators, home, MODERATOR_PAGE_PERMISSIONS)

    workflow, created = _workflow_ensure(home, moderators)
    if created:
        result["created"].append(WORKFLOW_NAME)

    result.update(organizers=organizers, moderators=moderators, workflow=workflow)
    return result
