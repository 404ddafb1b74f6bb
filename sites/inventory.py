"""Read a declared site inventory (TOML, like `platform/demo_cluster.toml`) into SiteSpecs."""

import tomllib
from pathlib import Path

from .provisioning import ProvisioningError, SiteSpec


def load_inventory(path):
    """Return the SiteSpecs of an inventory file, or raise ProvisioningError naming the problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProvisioningError([f"找不到清单文件 {path}"]) from None
    except UnicodeDecodeError:
        raise ProvisioningError([f"清单文件 {path} 不是 UTF-8 编码"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ProvisioningError([f"清单文件 {path} 格式错误（TOML）：{error}"]) from None

    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise ProvisioningError([f"清单文件 {path} 中没有 [[sites]] 条目"])
    specs, problems = [], []
    for number, entry in enumerate(entries, start=1):
        try:
            specs.append(SiteSpec.from_mapping(entry))
        except ProvisioningError as error:
            label = entry.get("code", "?") if isinstance(entry, dict) else "?"
            problems += [f"第 {number} 个站点（{label}）：{problem}" for problem in error.problems]
    if problems:
        raise ProvisioningError(problems)
    return specs
