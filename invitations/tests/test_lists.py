import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from invitations.lists import ListRejected, add_to_list, read_list
from invitations.models import Invitation

from .helpers import invite


def upload(name, data: bytes):
    return SimpleUploadedFile(name, data)


def test_a_swedish_excel_csv_with_header_semicolons_and_windows_1252_is_read(politician_link):
    data = "E-post;Språk\r\nAsa.Oberg@Höör.SE;sv\r\nbob@example.org;en\r\n".encode("cp1252")
    parsed = read_list(upload=upload("lista.csv", data))
    assert parsed.errors == []
    assert parsed.entries == {"asa.oberg@höör.se": "sv", "bob@example.org": "en"}


def test_utf8_commas_without_header_take_the_default_language():
    data = "\ufeffa@example.org\nb@example.org,\n".encode()
    parsed = read_list(upload=upload("l.csv", data), default_language="en")
    assert parsed.entries == {"a@example.org": "en", "b@example.org": "en"}


def test_an_xlsx_list_is_read_from_its_first_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-post", "Språk"])
    sheet.append(["a@example.org", "engelska"])
    sheet.append([None, None])
    sheet.append(["inte en adress", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = read_list(upload=upload("lista.xlsx", buffer.getvalue()))
    assert parsed.entries == {"a@example.org": "en"}
    assert [(e.number, "inte en adress" in e.reason) for e in parsed.errors] == [(4, True)]


def test_a_file_that_is_not_a_workbook_is_reported():
    parsed = read_list(upload=upload("lista.xlsx", b"not a zip"))
    assert parsed.errors and "Excel" in parsed.errors[0].reason or "xlsx" in parsed.errors[0].reason


def test_every_bad_line_is_reported_with_its_number_and_reason():
    text = "a@example.org\nno-at-sign\n\nb@example.org;fr\nc@example.org;sv;extra\n"
    parsed = read_list(text=text)
    assert [e.number for e in parsed.errors] == [2, 4, 5]
    assert "no-at-sign" in parsed.errors[0].reason
    assert "fr" in parsed.errors[1].reason


def test_duplicates_are_merged_case_insensitively(politician_link):
    parsed = read_list(text="A@example.org\na@example.org\nb@example.org")
    added = add_to_list(politician_link, parsed)
    assert (added.added, added.already_listed) == (2, 1)
    again = add_to_list(politician_link, read_list(text="b@example.org\nc@example.org"))
    assert (again.added, again.already_listed) == (1, 1)
    assert Invitation.objects.filter(link=politician_link).count() == 3


def test_nothing_is_stored_until_the_whole_list_is_valid(politician_link):
    with pytest.raises(ListRejected):
        add_to_list(politician_link, read_list(text="a@example.org\nbroken"))
    assert not Invitation.objects.exists()


def test_one_address_is_invited_once_per_round(open_round, politician_link):
    invite(politician_link, "a@example.org")
    official = open_round.links.get(target_group__key="official")
    with pytest.raises(ListRejected) as rejected:
        add_to_list(official, read_list(text="a@example.org\nb@example.org"))
    assert "a@example.org" in rejected.value.errors[0].reason
    assert Invitation.objects.count() == 1


def test_cells_pasted_from_a_sheet_are_split_at_tabs():
    parsed = read_list(text="E-post\tSpråk\na@example.org\ten\nb@example.org\t\n")
    assert parsed.errors == []
    assert parsed.entries == {"a@example.org": "en", "b@example.org": "sv"}


def test_every_bad_line_is_reported_and_good_lines_are_still_counted():
    parsed = read_list(text="a@example.org\nfel\nA@example.org\nb@example.org;klingon\n")
    assert [e.number for e in parsed.errors] == [2, 4]
    assert parsed.entries == {"a@example.org": "sv"} and parsed.duplicates == 1
