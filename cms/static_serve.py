"""Static files from the web process (WhiteNoise), cached a year under their hashed names."""

from whitenoise.middleware import WhiteNoiseMiddleware

ONE_YEAR = 365 * 24 * 60 * 60


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    # A year, the longest lifetime HTTP caches are asked to honour (RFC 9111); WhiteNoise's own is ten.
    FOREVER = ONE_YEAR
