"""The menus lead to action plans and to the effect: coordinators find their plans from every
page, the programme office finds both from its own menu."""

from django.urls import reverse


def test_the_coordinators_menu_links_to_action_plans(client_a):
    page = client_a.get(reverse("assessments:coordinator_home")).content.decode()
    assert f'href="{reverse("plans:list")}"' in page
    assert f'href="{reverse("plans:effect")}"' not in page  # the office's page only


def test_the_programme_menu_links_to_plans_and_the_effect(staff_client):
    for name in ("programme:overview", "plans:effect"):
        page = staff_client.get(reverse(name)).content.decode()
        assert f'href="{reverse("plans:list")}"' in page
        assert f'href="{reverse("plans:effect")}"' in page


def test_an_anonymous_visitor_sees_no_plans_link(client):
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("plans:list")}"' not in page
