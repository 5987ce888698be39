"""One FilterSet (results.filters.OrganisationFilter) for the national page and its exports."""

import pytest
from django.urls import reverse

from results.filters import OrganisationFilter, filtered_organisations
from results.tests.factories import link, make_round, publish, submit

EXPORTS = ["results:national", "results:national_xlsx", "results:national_csv"]


@pytest.mark.parametrize("name", EXPORTS)
def test_a_value_no_organisation_has_is_a_400_on_the_page_and_both_exports(staff_client, name):
    assert staff_client.get(reverse(name), {"county": "99"}).status_code == 400


@pytest.mark.parametrize("name", EXPORTS)
def test_a_known_county_is_accepted_on_the_page_and_both_exports(
    staff_client, org_a, org_b, version, name
):
    round_ = make_round(org_a, version, days_ago=60)
    submit(link(round_, "official"), 6)
    publish(round_)
    assert staff_client.get(reverse(name), {"county": org_b.county_code}).status_code == 200


def test_the_filterset_leaves_the_chosen_organisations(org_a, org_b):
    assert list(filtered_organisations(county=org_b.county_code)) == [org_b]
    assert set(filtered_organisations()) == {org_a, org_b}
    labels = dict(OrganisationFilter().form.fields["county"].choices)
    assert labels[""] == "Alla" and labels[org_a.county_code] == org_a.county_name


def test_a_bad_value_is_refused_not_ignored(org_a):
    with pytest.raises(ValueError):
        filtered_organisations(kind="robot")
