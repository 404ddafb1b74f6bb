"""What apps above `sites` add to a site, without `sites` importing them (DESIGN §14).

- A column type: `register_column_type("mailbox", build)`; a column of that `type` in
  `platform/standards.toml` is created as `build(title=…, slug=…, show_in_menus=…)`.
- A part: `register_part(ensure)`; provisioning calls `ensure(profile)` for every site it
  creates or re-provisions, inside the site's transaction, after the columns exist. It returns
  the names of what it had to add (nothing when the site already has it all).
- Demo content: `register_demo(fill)`; `setup_demo` calls `fill(profile)` for every site after
  the standard content, and it returns how many items it added.
- Demo accounts: `register_demo_accounts(create)`; `setup_demo` calls `create()` before the
  content, which returns [(username, description)] for the README's list.
"""

_column_types = {}
_parts = []
_demos = []
_demo_accounts = []


def register_column_type(name, build):
    _column_types[name] = build


def column_type(name):
    return _column_types.get(name)


def register_part(ensure):
    if ensure not in _parts:
        _parts.append(ensure)


def parts():
    return list(_parts)


def register_demo(fill):
    if fill not in _demos:
        _demos.append(fill)


def demos():
    return list(_demos)


def register_demo_accounts(create):
    if create not in _demo_accounts:
        _demo_accounts.append(create)


def demo_accounts():
    return list(_demo_accounts)
