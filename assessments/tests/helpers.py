"""Small helpers for tests that act as a respondent through the Django test client."""

from django.urls import reverse

from assessments.models import Response
from assessments.questionnaire import build_pages


def begin(client, link):
    """Press Start on the link's first page; returns the response that this client now owns."""
    result = client.post(reverse("assessments:respond_begin", args=[link.token]))
    assert result.status_code == 302, result
    return Response.objects.filter(link=link).latest("id")


def page_url(link, number):
    return reverse("assessments:respond_page", args=[link.token, number])


def answer_page(client, link, number, value="3", action="next"):
    page = build_pages(link)[number - 1]
    data = {f"item-{item.pk}": value for item in page.items}
    data["action"] = action
    return client.post(page_url(link, number), data)


def answer_everything(client, link, value="4"):
    pages = build_pages(link)
    for page in pages[:-1]:
        answer_page(client, link, page.number, value)
    client.post(page_url(link, len(pages)), {"gender": "woman", "action": "submit"})
    return client.post(reverse("assessments:respond_review", args=[link.token]))
