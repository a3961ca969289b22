"""Video pipeline: pure functions over files. No Django here; media/tasks.py wraps these for the queue."""
