import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bury_eis.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


def settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with exactly this environment."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "bury_eis.settings"}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_in({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_defaults_to_debug_off():
    result = settings_in({"SECRET_KEY": "x" * 60})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_mode_is_named_and_turns_debug_on():
    result = settings_in({"EIS_DEV_MODE": "true"})
    assert result.stdout.strip() == "True"


def test_a_bad_database_url_stops_start_up():
    result = settings_in({"EIS_DEV_MODE": "true", "DATABASE_URL": "nosuchdb://x"})
    assert result.returncode != 0
    assert "DATABASE_URL could not be read" in result.stderr


def test_env_bool_refuses_words_it_does_not_know(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "Yes")
    assert env_bool("DEBUG") is True


def test_env_int_refuses_non_numbers(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 25)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example , b.example,")
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_every_setting_read_from_the_environment_is_in_the_example():
    """.env.example is what a deployment copies: a setting missing there goes unset."""
    names = set(
        re.findall(
            r'env_(?:str|int|bool|list)\(\s*"([A-Z_]+)"',
            (ROOT / "bury_eis" / "settings.py").read_text(),
        )
    )
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names, "no settings found: the pattern is out of date"
    assert sorted(names - listed) == []
