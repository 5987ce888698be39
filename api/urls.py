from django.urls import include, path, re_path

from lib.replica import published_patterns

from . import views, views_tokens
from .v1 import api

app_name = "api"

urlpatterns = [
    path("api/", views.docs, name="docs"),
    path("coordinator/api-tokens/", views_tokens.tokens_page, name="tokens"),
    path("coordinator/api-tokens/new/", views_tokens.create, name="token_create"),
    path("coordinator/api-tokens/<int:pk>/revoke/", views_tokens.revoke, name="token_revoke"),
    path("api/v1/bulk/figures.csv", views.bulk_csv, name="bulk_csv"),
    path("api/v1/bulk/figures.json", views.bulk_json, name="bulk_json"),
    path("api/v1/bulk/datapackage.json", views.bulk_datapackage, name="bulk_datapackage"),
]

# The generated API has its own namespace (api_v1); anything else under /api/v1/ is a JSON 404.
# Every one of its views serves published figures (read from the replica, lib/replica.py).
_v1_patterns, _v1_app, _v1_namespace = api.urls
api_urlpatterns = [
    path("api/v1/", include((published_patterns(_v1_patterns), _v1_app), namespace=_v1_namespace)),
    re_path(r"^api/v1/(?P<rest>.*)$", views.not_found),
]
