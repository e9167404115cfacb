"""Generated requests against the strategy endpoints with a real brand: never a 500."""

from __future__ import annotations

import re

import pytest
from hypothesis import strategies as st
from schemathesis import checks

from clarion.core.text import REF_PATTERN
from tests.api.fuzzing import fuzz_settings, has_refused_characters, poison
from tests.api.fuzzing import schema as api_schema

schema = api_schema.include(path_regex=r"^/api/strategy/")


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection", "brand")
@schema.parametrize()
@fuzz_settings(max_examples=25)
def test_strategy_endpoints_keep_their_contract_for_an_existing_brand(case, api_token):
    use_the_real_brand(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection", "brand")
@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=15, schema_examples=False)
def test_control_characters_never_reach_the_strategy_endpoints_of_an_existing_brand(
    case, data, api_token
):
    use_the_real_brand(case)
    clean = not has_refused_characters(case)
    loc = poison(case, data)
    response = case.call(headers={"Authorization": f"Bearer {api_token}"})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == "control_character"
    if clean:
        assert error["loc"] in (loc, loc[:1]) if loc[0] == "path" else error["loc"] == loc
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])


def use_the_real_brand(case):
    """Point valid brand references at the real brand; invalid ones stay as generated,
    so a request meant to be rejected still is."""
    if isinstance(case.body, dict) and valid_ref(case.body.get("brand")):
        case.body["brand"] = "northwind-coffee"
    if case.path_parameters and valid_ref(case.path_parameters.get("brand")):
        case.path_parameters["brand"] = "northwind-coffee"


def valid_ref(value: object) -> bool:
    return (
        isinstance(value, str) and len(value) <= 80 and re.fullmatch(REF_PATTERN, value) is not None
    )
