"""lib.importing: the one skeleton of every import — whole file, every line's reason, all or
nothing."""

import pytest

from lib.importing import ImportRejected, RowInvalid, validate_csv, validate_rows, write_all
from registry.models import Organisation


def _clean(line, row):
    if not row["n"].isdigit():
        raise RowInvalid(f"{row['n']} is not a number", "and it is bad")
    return int(row["n"])


def test_every_bad_line_is_reported_with_its_reasons():
    text = "n,name\n1,a\nx,b\n3,c\ny,d\n"
    with pytest.raises(ImportRejected) as rejected:
        validate_csv(text, required=("n",), clean=_clean, empty_reason="empty")
    assert [(e.line, e.reason) for e in rejected.value.errors] == [
        (3, "x is not a number"),
        (3, "and it is bad"),
        (5, "y is not a number"),
        (5, "and it is bad"),
    ]


def test_a_good_file_gives_the_cleaned_rows_and_headers_can_be_case_blind():
    text = "N,Name\n1,a\n2,b\n"
    assert validate_csv(
        text, required=("n",), clean=_clean, empty_reason="empty", lower_headers=True
    ) == [1, 2]


@pytest.mark.parametrize(
    "text, line",
    [("name\n1\n", 1), ("n\n", 2), ("n\n1,2\n", 2), ('n\n"1\n', 2)],
    ids=["missing column", "no rows", "too many fields", "broken quoting"],
)
def test_a_malformed_file_is_refused_with_a_line(text, line):
    with pytest.raises(ImportRejected) as rejected:
        validate_csv(text, required=("n",), clean=_clean, empty_reason="empty")
    assert rejected.value.errors[0].line == line


@pytest.mark.django_db
def test_a_write_that_fails_half_way_leaves_nothing():
    def write(rows):
        for code in rows:
            Organisation.objects.create(code=code, name=code, kind="municipality")
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        write_all(["1001", "1002"], write)
    assert not Organisation.objects.exists()


def _number_or_skip(line, row):
    if not row:
        return None
    if not row.isdigit():
        raise RowInvalid(f"{row} is not a number")
    return int(row)


def test_rows_already_read_are_validated_whole_and_blank_ones_skipped():
    assert validate_rows(
        [(1, "3"), (2, ""), (3, "4")], clean=_number_or_skip, empty_reason="-"
    ) == [3, 4]
    with pytest.raises(ImportRejected) as rejected:
        validate_rows([(1, "x"), (2, "5"), (3, "y")], clean=_number_or_skip, empty_reason="-")
    assert [(e.line, e.reason) for e in rejected.value.errors] == [
        (1, "x is not a number"),
        (3, "y is not a number"),
    ]
    with pytest.raises(ImportRejected) as rejected:
        validate_rows([(1, "")], clean=_number_or_skip, empty_reason="empty", empty_line=0)
    assert [(e.line, e.reason) for e in rejected.value.errors] == [(0, "empty")]
