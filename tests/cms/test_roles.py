"""Organizers draft fairs and events; only moderators put them live."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, TaskState, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import CraftVillagePage, FairPage
from cms.services import MODERATORS, ORGANIZERS, WORKFLOW_NAME, cms_sections_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    return cms_sections_ensure()


def member_of(group, username: str):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@ocop.local", password="pass-1234"
    )
    user.groups.add(group)
    return user


@pytest.fixture
def organizer(sections):
    return member_of(sections["organizers"], "bantochuc")


@pytest.fixture
def moderator(sections):
    return member_of(sections["moderators"], "kiemduyet")


def fair_form(title: str, slug: str, *, action: str) -> dict:
    """What the Wagtail editor posts for a new fair."""
    start = timezone.localtime() + timedelta(days=20)
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "start_at": start.strftime("%Y-%m-%d %H:%M"),
            "end_at": (start + timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
            "venue_name": "Cung Văn hóa Hữu nghị Việt Xô",
            "venue_address": "91 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
            "body": streamfield([]),
            "exhibitors": streamfield([]),
            "schedule": streamfield([]),
            "gallery": streamfield([]),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def add_url(parent: Page, model: str) -> str:
    return reverse("wagtailadmin_pages:add", args=("cms", model, parent.pk))


def fair_submit(client, user, sections, slug="hoi-cho-thu") -> FairPage:
    client.force_login(user)
    response = client.post(
        add_url(sections["fairs"], "fairpage"),
        fair_form("Hội chợ thử", slug, action="action-submit"),
    )
    assert response.status_code == 302
    return FairPage.objects.get(slug=slug)


def test_sections_ensure_is_idempotent(sections):
    # given the sections and roles already exist
    counts = (Page.objects.count(), GroupPagePermission.objects.count())
    # when they are ensured again
    again = cms_sections_ensure()
    # then nothing new appears, and the three sections are published under home
    assert again["created"] == []
    assert (Page.objects.count(), GroupPagePermission.objects.count()) == counts
    for key, slug in (("fairs", "hoi-cho"), ("events", "su-kien"), ("villages", "lang-nghe")):
        page = again[key]
        assert page.live and page.slug == slug
        assert page.get_parent().pk == again["home"].pk
    assert again["organizers"].name == ORGANIZERS
    assert again["moderators"].name == MODERATORS
    assert again["workflow"].name == WORKFLOW_NAME
    assert again["home"].get_workflow() == again["workflow"]


def test_organizer_submits_a_fair_for_moderation_and_it_is_not_live(client, sections, organizer):
    # when an organizer creates a fair through the Wagtail admin and submits it
    fair = fair_submit(client, organizer, sections)
    # then it waits for moderators in the workflow, not live
    assert fair.get_parent().pk == sections["fairs"].pk
    assert not fair.live
    state = WorkflowState.objects.get(object_id=str(fair.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == sections["workflow"]
    assert state.current_task_state.task.specific.groups.filter(name=MODERATORS).exists()


def test_organizer_cannot_publish_a_fair(client, sections, organizer):
    # given an organizer in the admin
    client.force_login(organizer)
    # when they press "publish" on a new fair
    response = client.post(
        add_url(sections["fairs"], "fairpage"),
        fair_form("Hội chợ tự đăng", "hoi-cho-tu-dang", action="action-publish"),
    )
    # then Wagtail keeps it as a draft
    assert response.status_code == 302
    fair = FairPage.objects.get(slug="hoi-cho-tu-dang")
    assert not fair.live and fair.has_unpublished_changes
    assert not FairPage.objects.live().filter(slug="hoi-cho-tu-dang").exists()
    perms = sections["fairs"].permissions_for_user(organizer)
    assert perms.can_add_subpage() and perms.can_edit() and not perms.can_publish_subpage()


def test_organizer_cannot_touch_villages_or_the_home_page(client, sections, organizer):
    home, villages = sections["home"], sections["villages"]
    # then their permissions stop at fairs and events
    assert not villages.permissions_for_user(organizer).can_add_subpage()
    assert not villages.permissions_for_user(organizer).can_edit()
    assert not home.permissions_for_user(organizer).can_edit()
    assert not home.permissions_for_user(organizer).can_publish()
    assert sections["events"].permissions_for_user(organizer).can_add_subpage()
    # and the admin turns them away
    client.force_login(organizer)
    response = client.post(
        add_url(villages, "craftvillagepage"),
        nested_form_data(
            {
                "title": "Làng mới",
                "slug": "lang-moi",
                "craft": "Gốm sứ",
                "province": "Hà Nội",
                "body": streamfield([]),
                "gallery": streamfield([]),
                "comments": inline_formset([]),
                "action-submit": "1",
            }
        ),
    )
    assert response.status_code in (302, 403)
    assert not CraftVillagePage.objects.filter(slug="lang-moi").exists()
    response = client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,)))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("wagtailadmin_pages:edit", args=(home.pk,)) not in response["Location"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(home.pk,)),
        {"title": "Đã sửa", "slug": home.slug, "action-publish": "1"},
    )
    assert response.status_code in (302, 403)
    home.refresh_from_db()
    latest = home.get_latest_revision()
    assert home.title != "Đã sửa"
    assert latest is None or latest.content["title"] != "Đã sửa"


def test_organizer_cannot_approve_their_own_fair(client, sections, organizer):
    # given a fair an organizer submitted
    fair = fair_submit(client, organizer, sections)
    task_state = TaskState.objects.get(workflow_state__object_id=str(fair.pk))
    # when the organizer tries the moderators' approve action
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(fair.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    # then it is refused and the fair stays a draft
    assert response.status_code in (302, 403)
    fair.refresh_from_db()
    assert not fair.live


def test_moderator_approves_and_publishes_a_submitted_fair(client, sections, organizer, moderator):
    # given a fair an organizer submitted
    fair = fair_submit(client, organizer, sections)
    task_state = TaskState.objects.get(workflow_state__object_id=str(fair.pk))
    # when a moderator approves it in the admin
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(fair.pk, "approve", task_state.pk)),
        {"comment": "Đã kiểm tra thông tin"},
    )
    # then the fair is live and the workflow is done
    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.live
    assert FairPage.objects.upcoming().filter(pk=fair.pk).exists()
    state = WorkflowState.objects.get(object_id=str(fair.pk))
    assert state.status == WorkflowState.STATUS_APPROVED


def test_moderators_may_publish_in_every_section(sections, moderator):
    for key in ("home", "fairs", "events", "villages"):
        perms = sections[key].permissions_for_user(moderator)
        assert perms.can_edit() and perms.can_publish()
        assert perms.can_lock() and perms.can_unlock()
        # the home page's only children are the three sections, one of each
        assert perms.can_add_subpage() == (key != "home")


def test_both_roles_may_upload_images(sections, organizer, moderator):
    images = policy_registry.get_by_type(get_image_model())
    for user in (organizer, moderator):
        assert user.has_perm("wagtailadmin.access_admin")
        assert images.user_has_permission(user, "add")
        assert images.user_has_permission(user, "choose")


def test_cms_sections_command_reports_in_one_line(sections):
    out = io.StringIO()
    call_command("cms_sections", stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "CMS sections ready under 'Chợ OCOP': /hoi-cho/, /su-kien/, /lang-nghe/; "
        "created: nothing new."
    ]
