"""Whatever a client sends, the API answers as its OpenAPI document says, never with a 500;
and without credentials it answers nothing but 401."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from schemathesis import checks

from clarion.api.middleware import UPLOADS
from tests.api.fuzzing import fuzz_settings, has_refused_characters, poison, schema


@pytest.fixture
def bearer(api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token}"}


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@fuzz_settings(max_examples=40)
def test_the_api_keeps_its_contract(case, bearer):
    # A file's content is not described by its schema: a schema-valid upload may still be a
    # file Clarion cannot read (a PNG sent as leads), refused with a 422 that says why.
    excluded = [checks.positive_data_acceptance] if case.operation.path in UPLOADS else []
    case.call_and_validate(headers=bearer, excluded_checks=excluded)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@fuzz_settings(max_examples=10)
def test_without_credentials_every_operation_answers_401(case):
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.cookies = {}
    response = case.call()
    assert response.status_code == 401, response.text
    assert "authentication required" in response.json()["detail"]
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=15, schema_examples=False)
def test_control_characters_anywhere_in_a_request_are_refused_with_a_422(case, data, bearer):
    clean = not has_refused_characters(case)
    loc = poison(case, data)
    response = case.call(headers=bearer)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["type"] == "control_character"
    assert "control character" in error["msg"]
    if clean:  # the only refused character is the one put there: the answer names it
        assert error["loc"] in (loc, loc[:1]) if loc[0] == "path" else error["loc"] == loc
    # The request was valid as generated; a refused character makes it invalid on purpose.
    case.validate_response(response, excluded_checks=[checks.positive_data_acceptance])
