from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Password complexity (等保 2.0): at least three of upper case, lower case, digits, symbols."""

    classes = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())

    def validate(self, password, user=None):
        used = sum(any(test(c) for c in password) for test in self.classes)
        if used < 3:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的三类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类。"
