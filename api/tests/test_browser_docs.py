import pytest

from core.tests.browser import assert_accessible, assert_fits_the_screen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_docs_page_is_accessible_and_fits(live_server, new_context, pulse_scene, device):
    page = new_context(device).new_page()
    response = page.goto(live_server.url + "/api/")
    assert response.status == 200
    # seven examples (one of the resident pulse), 304, a token, two Python examples, one in R
    assert page.locator("pre code").count() == 12
    assert page.locator("#resident-pulse").is_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
