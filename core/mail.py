"""Mail sent from the background worker (`manage.py db_worker`), never from a web request.

A web request only enqueues a task (``transaction.on_commit``); the task renders and sends.
A task that may run twice claims its mail first with :func:`claim_once`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import SentMail


def claim_once(key: str) -> bool:
    """True the first time ``key`` is claimed, False ever after (the row is unique)."""
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key[:100])
    except IntegrityError:
        return False
    return True


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, but the mail is made and sent by the worker: the web
    request only enqueues the account's id (the link's token is made in the worker, so no
    secret waits in the queue)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user_id = context["user"].pk
        domain, protocol = context["domain"], context["protocol"]
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: send_password_reset.enqueue(
                user_id,
                to_email,
                domain,
                protocol,
                language,
                subject_template_name,
                email_template_name,
            )
        )


@task(takes_context=True)
def send_password_reset(
    context,
    user_id: int,
    email: str,
    domain: str,
    protocol: str,
    language: str,
    subject_template: str = "registration/password_reset_subject.txt",
    body_template: str = "registration/password_reset_email.html",
):
    """Sends the reset link once per enqueued task (claimed by the task's id)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return 0
    if not claim_once(f"password-reset:{context.task_result.id}"):
        return 0
    mail_context = {
        "email": email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    with translation.override(language):
        subject = loader.render_to_string(subject_template, mail_context)
        body = loader.render_to_string(body_template, mail_context)
    message = EmailMultiAlternatives("".join(subject.splitlines()), body, None, [email])
    return message.send()
