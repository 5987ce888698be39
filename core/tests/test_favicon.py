import xml.etree.ElementTree as ET

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_every_page_links_the_favicon(client, db):
    body = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("core/favicon.svg")}" type="image/svg+xml">' in body


def test_the_favicon_is_an_svg_with_a_view_box():
    path = finders.find("core/favicon.svg")
    assert path
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"
