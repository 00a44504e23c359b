"""Recipients as the UI shows them: enough to recognise, not enough to copy."""


def mask(recipient: str) -> str:
    """ "+33612345678" → "+33 •• •• •• •• 78"; "awa.diallo@example.org" → "a•••@example.org"."""
    if not recipient:
        return ""
    if "•" in recipient:
        return recipient  # already masked (a purged message)
    if "@" in recipient:
        local, _at, domain = recipient.partition("@")
        return f"{local[:1]}•••@{domain}"
    digits = recipient.lstrip("+")
    prefix = "+" + digits[:2] if recipient.startswith("+") else digits[:1]
    return f"{prefix} •• •• •• •• {digits[-2:]}"
