"""The one way a line fails: a reason in Chinese, for the platform admin who runs the import."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist


class LineError(Exception):
    """Why one line of an import file cannot be imported; the other lines carry on."""


def describe_validation_error(error, model=None):
    """One sentence from a model's ValidationError, naming each field by its verbose name.

    Model validation is the last guard of an import line (lengths, choices, the 索引号 check);
    its messages are already translated, they only lack the field they belong to.
    """
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    parts = []
    for field, messages in error.message_dict.items():
        text = "；".join(messages)
        label = _label(model, field)
        # Messages from a model's clean() often name their field already (有效期至不能早于…).
        parts.append(text if label is None or str(label) in text else f"「{label}」{text}")
    return "；".join(parts)


def _label(model, field):
    if model is None or field == NON_FIELD_ERRORS:
        return None
    try:
        return model._meta.get_field(field).verbose_name
    except FieldDoesNotExist:
        return field
