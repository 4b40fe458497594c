"""Shared fixtures: the seed study's config and schedule."""

from __future__ import annotations

import pytest
from helpers import SEED_CONFIG
from webhookserver import hook  # noqa: F401 - the recording webhook, for every test that needs one

from studybot.core.config import StudyConfig
from studybot.core.schedule import Schedule, build_schedule
from studybot.shell.configfile import load_config


@pytest.fixture(scope="session")
def seed() -> StudyConfig:
    return load_config(SEED_CONFIG)


@pytest.fixture(scope="session")
def seed_schedule(seed: StudyConfig) -> Schedule:
    return build_schedule(seed)
