from django.dispatch import Signal

# Sent inside the submitting transaction, once per newly submitted response; ``round_id`` given.
response_submitted = Signal()
