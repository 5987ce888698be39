from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry.models import Organisation

HEADER = "code,name,kind,county_code,county_name,kommungrupp,kommungrupp_name\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orgs.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_it_loads_all_290_municipalities_and_21_regions_from_the_shipped_file():
    call_command("import_organisations", verbosity=0)
    assert Organisation.objects.filter(kind="municipality").count() == 290
    assert Organisation.objects.filter(kind="region").count() == 21
    trelleborg = Organisation.objects.get(code="1287")
    assert trelleborg.name == "Trelleborg"
    assert trelleborg.county_code == "12"
    assert trelleborg.kommungrupp


@pytest.mark.django_db
def test_it_is_idempotent_and_updates_changed_rows(tmp_path):
    path = write(
        tmp_path, HEADER + "0114,Upplands Väsby,municipality,01,Stockholms län,A2,Pendling\n"
    )
    call_command("import_organisations", str(path), verbosity=0)
    call_command("import_organisations", str(path), verbosity=0)
    assert Organisation.objects.count() == 1
    write(
        tmp_path, HEADER + "0114,Upplands Väsby kommun,municipality,01,Stockholms län,A2,Pendling\n"
    )
    call_command("import_organisations", str(path), verbosity=0)
    assert Organisation.objects.get(code="0114").name == "Upplands Väsby kommun"


@pytest.mark.django_db
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(tmp_path, capsys):
    path = write(
        tmp_path,
        HEADER
        + "0114,Upplands Väsby,municipality,01,Stockholms län,A2,x\n"
        + "0115,Vallentuna,village,01,Stockholms län,A2,x\n"
        + "0117,,municipality,01,Stockholms län,A2,x\n",
    )
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_organisations", str(path))
    err = capsys.readouterr().err
    assert "3" in err and "village" in err
    assert "4" in err and "name" in err
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_repeated_code_is_rejected(tmp_path, capsys):
    path = write(
        tmp_path,
        HEADER
        + "0114,Upplands Väsby,municipality,01,Stockholms län,A2,x\n"
        + "0114,Upplands Väsby igen,municipality,01,Stockholms län,A2,x\n",
    )
    with pytest.raises(CommandError):
        call_command("import_organisations", str(path))
    assert "0114" in capsys.readouterr().err
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_required_columns_is_rejected(tmp_path, capsys):
    path = write(tmp_path, "kod,namn\n0114,Upplands Väsby\n")
    with pytest.raises(CommandError):
        call_command("import_organisations", str(path))
    assert "code" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "0114,Upplands Väsby,municipality,01,Stockholms län,,\n").encode("latin-1")
    )
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_organisations", str(path))
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_failure_leaves_an_existing_registry_untouched(tmp_path):
    good = write(tmp_path, HEADER + "0114,Upplands Väsby,municipality,01,Stockholms län,A2,x\n")
    call_command("import_organisations", str(good), verbosity=0)
    bad = write(
        tmp_path,
        HEADER
        + "0114,Nytt namn,municipality,01,Stockholms län,A2,x\n"
        + "0115,Vallentuna,municipality,01,Stockholms län,A2,x,extra\n",
    )
    with pytest.raises(CommandError):
        call_command("import_organisations", str(bad), verbosity=0)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Upplands Väsby"]
