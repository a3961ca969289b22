import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.ranges import RangeError, covered_seconds, merge_ranges, parse_ranges


def test_overlapping_and_touching_ranges_merge():
    assert merge_ranges([(10, 20), (0, 5), (15, 30), (5, 8)], duration=100) == [(0, 8), (10, 30)]


def test_ranges_are_clamped_to_the_video_and_empty_ones_dropped():
    assert merge_ranges([(-5, 3), (90, 150), (40, 40), (60, 50)], duration=100) == [(0, 3), (90, 100)]


def test_the_same_seconds_reported_twice_count_once():
    merged = merge_ranges([(0, 30), (0, 30), (10, 20)], duration=60)
    assert covered_seconds(merged) == 30


@pytest.mark.parametrize(
    "raw",
    [None, "0-10", [[0]], [[0, 1, 2]], [["a", 1]], [[True, 3]], [[0, float("nan")]], [[0, float("inf")]], [{"a": 1}]],
)
def test_malformed_reports_are_refused(raw):
    with pytest.raises(RangeError):
        parse_ranges(raw)


def test_too_many_ranges_are_refused():
    with pytest.raises(RangeError):
        parse_ranges([[n, n + 0.5] for n in range(501)])


pairs = st.lists(st.tuples(st.floats(-50, 250, allow_nan=False), st.floats(-50, 250, allow_nan=False)), max_size=30)


@given(pairs, pairs)
def test_merging_is_order_free_and_idempotent(first, second):
    once = merge_ranges(first + second, duration=200)
    assert merge_ranges(second + first, duration=200) == once
    assert merge_ranges(once, duration=200) == once
    assert merge_ranges(merge_ranges(first, duration=200) + second, duration=200) == once


@given(pairs)
def test_merged_ranges_are_disjoint_sorted_and_within_the_video(raw):
    merged = merge_ranges(raw, duration=200)
    for start, end in merged:
        assert 0 <= start < end <= 200
    for (_, end), (start, _) in zip(merged, merged[1:], strict=False):
        assert end < start
    assert covered_seconds(merged) <= 200
