"""The suite's parallel run keeps each xdist_group on one worker (the failure stack, the fuzzing world and the demo
contents are built once per group). pytest-xdist does that by tagging the node ids of grouped tests; when a pytest
release stops it from doing so (9.2 did), the groups are split over the workers without a word: this test says so.
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.xdist_group("suite-check")


def test_loadgroup_keeps_a_group_together(request):
    if not os.environ.get("PYTEST_XDIST_WORKER") or not request.config.getvalue("loadgroup"):
        pytest.skip("only under pytest-xdist with --dist loadgroup (make test, make test-fast)")
    assert request.node.nodeid.endswith("@suite-check"), request.node.nodeid
