from django.dispatch import Signal

# Sent with ``asset`` after an editor approved a video's subtitles (they may now be shown and searched).
subtitles_approved = Signal()

# Sent with ``asset`` when a new upload replaced a video's original (inside the transaction that saved it).
video_file_replaced = Signal()
