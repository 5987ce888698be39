from django.dispatch import Signal

# Sent inside the submitting transaction, once per newly submitted response; ``round_id`` given.
response_submitted = Signal()

# Sent inside the closing transaction when a coordinator closes a round early; ``round_id``
# given. The results app publishes the round's results on it.
round_closed = Signal()
