"""K3: filings the Civil Petitions Act does not treat as 민원 (pure checks)."""

import pytest

from complaints.exclusions import address_is_unclear, check_exclusion, name_is_unclear
from complaints.intake import Intake


def intake(**facts):
    values = {
        "channel": "web",
        "complaint_type": None,
        "title": "t",
        "content": "c",
        "name": "홍길동",
        "address": "경기도 연천군 연천읍 차탄로 1",
    }
    values.update(facts)
    return Intake(**values)


@pytest.mark.parametrize("name", ["", "  ", "익명", "모름", "ㅁㅁ", "1234", "?", "x", "Anonymous"])
def test_K3_unclear_names(name):
    assert name_is_unclear(name)


@pytest.mark.parametrize("name", ["홍길동", "김철", "남궁민수", "Jane Smith", "(주)연천건설"])
def test_K3_clear_names(name):
    assert not name_is_unclear(name)


@pytest.mark.parametrize("address", ["", "모름", "없음", "서울", "123", "-"])
def test_K3_unclear_addresses(address):
    assert address_is_unclear(address)


def test_K3_a_plain_citizen_is_not_excluded():
    assert check_exclusion(intake()) is None


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"name": ""}, "unclear_sender"),
        ({"address": "모름"}, "unclear_sender"),
        ({"filer_type": "agency"}, "agency_demand"),
        ({"filer_type": "public_body"}, "agency_demand"),
        ({"filer_type": "contractor", "about_contract": True}, "contract_party"),
    ],
)
def test_K3_exclusions_name_the_reason_the_law_and_where_to_turn(facts, code):
    exclusion = check_exclusion(intake(**facts))
    assert exclusion is not None and exclusion.code == code
    assert "민원" in exclusion.reason
    assert "민원 처리에 관한 법률 제2조제2호" in exclusion.law
    assert "시행령 제2조" in exclusion.law
    assert exclusion.where_to_turn


def test_K3_agency_acting_as_a_private_party_and_contractor_otherwise_are_complaints():
    assert check_exclusion(intake(filer_type="agency", acts_as_private_party=True)) is None
    assert check_exclusion(intake(filer_type="contractor", about_contract=False)) is None
    assert check_exclusion(intake(filer_type="company")) is None
