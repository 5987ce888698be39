"""The shipped questionnaire: about ten statements in Swedish and English, each tied to goals
of the default framework, loaded once into a version."""

import pytest
import yaml

from frameworks.models import Goal
from pulse.loading import DEFAULT_PULSE_FILE, PulseFileError, load_pulse_data, load_pulse_file
from pulse.models import PulseStatement

pytestmark = pytest.mark.django_db


def test_every_statement_speaks_to_goals_of_the_default_framework(version):
    loaded, created = load_pulse_file()
    assert created and load_pulse_file() == (loaded, False)
    goals = set(Goal.objects.filter(area__version=version).values_list("key", flat=True))
    statements = list(loaded.statements.all())
    assert 9 <= len(statements) <= 12
    for statement in statements:
        assert statement.statement_sv and statement.statement_en
        assert "{organisation}" in statement.statement_sv
        assert statement.goal_keys and set(statement.goal_keys) <= goals
    topics = {s.topic for s in statements}
    assert topics == set(PulseStatement.Topic.values)


def test_a_file_with_a_statement_without_goals_is_refused_whole():
    data = yaml.safe_load(DEFAULT_PULSE_FILE.read_text(encoding="utf-8"))
    data["statements"][2]["goals"] = []
    with pytest.raises(PulseFileError, match="lever-upp"):
        load_pulse_data(data)
    assert not PulseStatement.objects.exists()
