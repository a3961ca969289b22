from django.utils.translation import gettext as _

from . import webhook
from .delivery_services import webhook_url_check


def webhook_fields_clean(form, cleaned: dict) -> None:
    """The channel form's webhook check: a URL that resolves to a private address is refused with the reason
    unless the channel allows private addresses (which only an administrator can set), and a URL needs a secret."""
    url = cleaned.get("webhook_url") or ""
    if not url:
        return
    try:
        webhook_url_check(url=url, allow_private=bool(cleaned.get("allow_private_webhook")))
    except webhook.UnsafeURL as exc:
        form.add_error("webhook_url", _("This webhook URL cannot be used: %(reason)s") % {"reason": _reason(exc)})
    if not cleaned.get("webhook_secret"):
        form.add_error("webhook_secret", _("A webhook needs a secret: the receiver checks every delivery with it."))


def _reason(exc: webhook.UnsafeURL) -> str:
    if isinstance(exc, webhook.Unresolvable):
        return _("its host name could not be found.")
    text = str(exc)
    if "resolves to" in text:
        return _(
            "it leads to a loopback, private, link-local or other non-public address (%(detail)s). Only an "
            "administrator can allow that for a channel."
        ) % {"detail": text.split("resolves to ", 1)[1].split(";", 1)[0]}
    return _("it must be a plain http:// or https:// address without a user name or password.")
