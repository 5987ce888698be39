import pytest

from core.tests.browser import assert_accessible, assert_fits_the_screen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_docs_page_is_accessible_and_fits(live_server, new_context, scene, device):
    page = new_context(device).new_page()
    response = page.goto(live_server.url + "/api/")
    assert response.status == 200
    # six examples, 304, a token, two Python examples and one in R
    assert page.locator("pre code").count() == 11
    assert_accessible(page)
    assert_fits_the_screen(page)
