import pytest

from kg.extract import build_pipeline


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline on spacy.blank("en") with the project's vocabulary (built once)."""
    return build_pipeline()
