"""Settings of SPEC §6, read once: the environment over an optional TOML file (`TRIAGE_CONFIG`)."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE_URL = "https://api.telegram.org/bot"

DEFAULT_AGENCIES: tuple[str, ...] = (
    "Children's social care",
    "Health",
    "Police",
    "Education",
    "Probation",
    "Early help",
    "Voluntary sector",
)

DEFAULT_URGENT_CONTACTS = (
    "Children's social care / MASH (office hours): 020 7946 0000\n"
    "Emergency duty team (out of hours): 020 7946 0999"
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads, typed and validated."""

    token: str = ""
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = Path("data/triage.db")
    board_chat_id: int | None = None
    chair_user_ids: frozenset[int] = frozenset()
    officer_user_ids: frozenset[int] = frozenset()
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    urgent_contacts: str = DEFAULT_URGENT_CONTACTS
    draft_ttl_hours: int = 72
    reminder_working_days: int = 5
    retain_declined_months: int = 12
    retain_closed_years: int = 6
    bank_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    log_level: str = "INFO"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_port: int = 8443

    @property
    def base_file_url(self) -> str:
        """The file download base that matches `base_url` (…/bot -> …/file/bot)."""
        if self.base_url.endswith("/bot"):
            return self.base_url[: -len("/bot")] + "/file/bot"
        return self.base_url.rstrip("/") + "/file"

    def is_chair(self, user_id: int) -> bool:
        """Whether this user is one of the independent chairs."""
        return user_id in self.chair_user_ids

    def is_officer(self, user_id: int) -> bool:
        """Whether this user may work the queue (officers and chairs)."""
        return user_id in self.officer_user_ids or user_id in self.chair_user_ids


_NAMES = {
    "TELEGRAM_BOT_TOKEN": "token",
    "TELEGRAM_BASE_URL": "base_url",
    "TRIAGE_DB": "db_path",
    "BOARD_CHAT_ID": "board_chat_id",
    "CHAIR_USER_IDS": "chair_user_ids",
    "OFFICER_USER_IDS": "officer_user_ids",
    "AGENCIES": "agencies",
    "URGENT_CONTACTS": "urgent_contacts",
    "DRAFT_TTL_HOURS": "draft_ttl_hours",
    "REMINDER_WORKING_DAYS": "reminder_working_days",
    "RETAIN_DECLINED_MONTHS": "retain_declined_months",
    "RETAIN_CLOSED_YEARS": "retain_closed_years",
    "BANK_HOLIDAYS": "bank_holidays",
    "LOG_LEVEL": "log_level",
    "WEBHOOK_URL": "webhook_url",
    "WEBHOOK_SECRET": "webhook_secret",
    "WEBHOOK_PORT": "webhook_port",
}


# How long free text is kept after a referral is declined (months) or closed (years).
_RETENTION = {"retain_declined_months", "retain_closed_years"}


def _split(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _int(name: str, value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {value!r}") from None


def _ids(name: str, value: object) -> frozenset[int]:
    return frozenset(_int(name, part) for part in _split(value))


def _dates(name: str, value: object) -> frozenset[dt.date]:
    out = set()
    for part in _split(value):
        try:
            out.add(dt.date.fromisoformat(part))
        except ValueError:
            raise SettingsError(f"{name} must list dates as YYYY-MM-DD, got {part!r}") from None
    return frozenset(out)


def _convert(name: str, value: object) -> object:
    attr = _NAMES[name]
    if attr in {"board_chat_id"}:
        return _int(name, value) if str(value).strip() else None
    if attr in {"draft_ttl_hours", "reminder_working_days", "webhook_port"}:
        number = _int(name, value)
        if number <= 0:
            raise SettingsError(f"{name} must be positive, got {number}")
        return number
    if attr in _RETENTION:
        period = _int(name, value)
        if period <= 0:
            raise SettingsError(f"{name} must be a positive whole number, got {period}")
        return period
    if attr in {"chair_user_ids", "officer_user_ids"}:
        return _ids(name, value)
    if attr == "agencies":
        agencies = tuple(_split(value))
        if not agencies:
            raise SettingsError("AGENCIES must name at least one agency")
        return agencies
    if attr == "bank_holidays":
        return _dates(name, value)
    if attr == "db_path":
        return Path(str(value))
    if attr == "log_level":
        level = str(value).strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
        return level
    return str(value).replace("\\n", "\n") if attr == "urgent_contacts" else str(value).strip()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings: the TOML file named by TRIAGE_CONFIG, overridden by the environment."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    config = env.get("TRIAGE_CONFIG", "").strip()
    if config:
        try:
            with Path(config).open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"TRIAGE_CONFIG {config!r} cannot be read: {exc}") from None
        unknown = sorted(set(data) - set(_NAMES))
        if unknown:
            raise SettingsError(f"unknown setting(s) in {config}: {', '.join(unknown)}")
        raw.update(data)
    for name in _NAMES:
        if name in env and env[name] != "":
            raw[name] = env[name]
    values = {_NAMES[name]: _convert(name, value) for name, value in raw.items()}
    return Settings(**values)  # type: ignore[arg-type]
