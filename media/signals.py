from django.dispatch import Signal

# Sent with ``asset`` after an editor approved a video's subtitles (they may now be shown and searched).
subtitles_approved = Signal()
