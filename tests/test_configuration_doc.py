"""docs/CONFIGURATION.md is written from config.py's table of settings: the two never drift."""

from scripts.configuration_doc import OUTPUT, render


def test_configuration_doc_is_up_to_date():
    assert OUTPUT.read_text(encoding="utf-8") == render(), (
        "docs/CONFIGURATION.md is out of date: run .venv/bin/python scripts/configuration_doc.py"
    )
