"""Shared fixtures: the seed study's config and schedule."""

from __future__ import annotations

import pytest
from helpers import SEED_CONFIG
from webhookserver import hook  # noqa: F401 - the recording webhook, for every test that needs one

from studybot.core.config import StudyConfig, load_config
from studybot.core.schedule import Schedule, build_schedule


@pytest.fixture(scope="session")
def seed() -> StudyConfig:
    return load_config(SEED_CONFIG)


@pytest.fixture(scope="session")
def seed_schedule(seed: StudyConfig) -> Schedule:
    return build_schedule(seed)
