import time


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place on a terminal, a line per 10% otherwise."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width = stream, width
        self.label, self.started = "", time.monotonic()
        self.tty = stream.isatty()
        self.last_drawn = -1

    def stage(self, label: str) -> None:
        self.label = label
        self.last_drawn = -1
        self.update(0.0)

    def update(self, fraction: float) -> None:
        percent = int(100 * max(0.0, min(1.0, fraction)))
        if not self.tty and percent not in (0, 100) and percent - self.last_drawn < 10:
            return
        if percent == self.last_drawn:
            return
        self.last_drawn = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.monotonic() - self.started
        line = f"[{bar}] {percent:3d}% {self.label} ({elapsed:.1f}s)"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
