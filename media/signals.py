from django.dispatch import Signal

# Sent with ``asset`` after an editor approved a video's subtitles (they may now be shown and searched).
subtitles_approved = Signal()

# Sent with ``asset`` when a new upload replaced a video's original (inside the transaction that saved it).
video_file_replaced = Signal()

# Sent with ``asset`` after its approved subtitles were withdrawn (a new recording replaced the one they were timed
# to): they may no longer be shown or searched.
subtitles_withdrawn = Signal()
