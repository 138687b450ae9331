"""Background sending. Tasks take ids; the texts were written in each recipient's language when
the rows were made, so no language needs switching here."""

from django_tasks import task

BATCH_SIZE = 100


@task()
def deliver_message(*, message_id: int) -> str:
    """Send one queued message (a reply to an inbound SMS); returns its status."""
    from messaging.services import deliver_queued

    message = deliver_queued(message_id=message_id)
    return message.status if message is not None else "skipped"


@task()
def send_bulk_message(*, bulk_id: int) -> int:
    """Send one batch of a bulk message's queued rows, then queue the next batch, so a large
    message never holds a worker for long and replies to observers get their turn between
    batches. Returns how many rows this batch handled."""
    from messaging.services import deliver_bulk_batch

    handled, more = deliver_bulk_batch(bulk_id=bulk_id, size=BATCH_SIZE)
    if more and handled:
        send_bulk_message.enqueue(bulk_id=bulk_id)
    return handled
