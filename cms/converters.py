"""Path converters for Bangban's own URLs."""

BIGINT_MAX = 2**63 - 1


class IdConverter:
    """A database id: digits up to the largest bigint. A larger number matches no URL (404) instead of reaching
    the database driver, which cannot send it (OverflowError, a 500)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError(f"{value} is beyond any database id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
