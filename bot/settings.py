"""Settings of SPEC §6, read once: the environment over an optional TOML file (`TRIAGE_CONFIG`).

Every setting is checked here, before anything is created on disk: a malformed one raises
`SettingsError`, whose message is one line naming the setting. A message never quotes the
token or the webhook secret (only that they are malformed), and `repr(Settings)` leaves both out.

This is the one module that reads the environment: `load_settings` for the bot, `load_only` for
an offline command that needs one setting, `has_desktop` for the desktop's own variables, and
`opt_in_to_timedelta` (called when `bot` is imported) for python-telegram-bot's `PTB_TIMEDELTA`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.serving import addresses
from matrix import Matrix, MatrixError, load_profile
from storage.themes import DEFAULT_THEMES, read_themes

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

DEFAULT_CP_PROCEDURES = "London Child Protection Procedures"

# The three safeguarding partners of Working Together 2023, in the order `PARTNER_USER_IDS` names
# them: the local authority, the integrated care board, the chief officer of police.
PARTNERS: tuple[str, ...] = ("la", "icb", "police")
# The profile whose decision is joint (SPEC §3, Profiles).
JOINT_PROFILE = "wt2023"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads, typed and validated."""

    token: str = field(default="", repr=False)
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = Path("data/triage.db")
    board_chat_id: int | None = None
    chair_user_ids: frozenset[int] = frozenset()
    officer_user_ids: frozenset[int] = frozenset()
    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    urgent_contacts: str = DEFAULT_URGENT_CONTACTS
    cp_procedures: str = DEFAULT_CP_PROCEDURES
    draft_ttl_hours: int = 72
    reminder_working_days: int = 5
    retain_declined_months: int = 12
    retain_closed_years: int = 6
    bank_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    log_level: str = "INFO"
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    webhook_port: int = 8443
    webhook_listen: str = "127.0.0.1"  # behind a reverse proxy that terminates TLS
    matrix: str = "2013"  # a packaged profile (2013, wt2023) or the path of a board's own file
    # Under wt2023, the lead of each partner (PARTNERS order): they decide jointly.
    partner_user_ids: tuple[tuple[str, int], ...] = ()
    # The review panel who agree a review's terms of reference (SPEC §9); empty: the default.
    panel_user_ids: frozenset[int] = frozenset()
    # The dashboard (SPEC §10): the https address Telegram opens (empty: no dashboard), the
    # port and address its server listens on behind the board's TLS proxy, and the origins
    # besides Telegram's web clients that may frame it (the demo's page).
    webapp_url: str = ""
    webapp_port: int = 8444
    webapp_listen: str = "127.0.0.1"
    webapp_frame_ancestors: tuple[str, ...] = ()
    themes: tuple[str, ...] = DEFAULT_THEMES

    def load_matrix(self) -> Matrix:
        """The grading matrix the `MATRIX` setting names (checked when the settings were read)."""
        return load_profile(self.matrix)

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
        """Whether this user may work the queue (officers, chairs and partners' leads)."""
        return (
            user_id in self.officer_user_ids
            or user_id in self.chair_user_ids
            or self.partner_of(user_id) is not None
        )

    @property
    def joint(self) -> bool:
        """Whether the decision is the three partners' joint one (MATRIX=wt2023)."""
        return bool(self.partner_user_ids)

    def partner_of(self, user_id: int) -> str | None:
        """The partner (`la`, `icb`, `police`) whose lead this user is, or None."""
        return next((p for p, uid in self.partner_user_ids if uid == user_id), None)

    @property
    def decider_ids(self) -> tuple[int, ...]:
        """Who gets the decision card and whose press counts: the partners' leads under a joint
        decision, else the chairs."""
        if self.joint:
            return tuple(uid for _, uid in self.partner_user_ids)
        return tuple(sorted(self.chair_user_ids))

    def is_decider(self, user_id: int) -> bool:
        """Whether this user's press on a decision card counts."""
        return user_id in self.decider_ids

    @property
    def panel_ids(self) -> tuple[int, ...]:
        """Who agrees a review's terms of reference (SPEC §9): `PANEL_USER_IDS` when given,
        else the three partners' leads under a joint decision, else the chairs."""
        if self.panel_user_ids:
            return tuple(sorted(self.panel_user_ids))
        return self.decider_ids

    @property
    def panel_all_needed(self) -> bool:
        """Whether every panel member must agree the terms (the three partners, as with the
        joint decision, when `PANEL_USER_IDS` is not given), rather than any one of them."""
        return self.joint and not self.panel_user_ids


_NAMES = {
    "TELEGRAM_BOT_TOKEN": "token",
    "TELEGRAM_BASE_URL": "base_url",
    "TRIAGE_DB": "db_path",
    "BOARD_CHAT_ID": "board_chat_id",
    "CHAIR_USER_IDS": "chair_user_ids",
    "OFFICER_USER_IDS": "officer_user_ids",
    "AGENCIES": "agencies",
    "URGENT_CONTACTS": "urgent_contacts",
    "CP_PROCEDURES": "cp_procedures",
    "DRAFT_TTL_HOURS": "draft_ttl_hours",
    "REMINDER_WORKING_DAYS": "reminder_working_days",
    "RETAIN_DECLINED_MONTHS": "retain_declined_months",
    "RETAIN_CLOSED_YEARS": "retain_closed_years",
    "BANK_HOLIDAYS": "bank_holidays",
    "LOG_LEVEL": "log_level",
    "WEBHOOK_URL": "webhook_url",
    "WEBHOOK_SECRET": "webhook_secret",
    "WEBHOOK_PORT": "webhook_port",
    "WEBHOOK_LISTEN": "webhook_listen",
    "MATRIX": "matrix",
    "PARTNER_USER_IDS": "partner_user_ids",
    "PANEL_USER_IDS": "panel_user_ids",
    "WEBAPP_URL": "webapp_url",
    "WEBAPP_PORT": "webapp_port",
    "WEBAPP_LISTEN": "webapp_listen",
    "WEBAPP_FRAME_ANCESTORS": "webapp_frame_ancestors",
    "THEMES": "themes",
}


_RETENTION = {"retain_declined_months", "retain_closed_years"}  # declined: months; closed: years


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


def _partners(name: str, value: object) -> tuple[tuple[str, int], ...]:
    """`la:ID,icb:ID,police:ID`: each partner once, with a whole-number id, in PARTNERS order."""
    form = f"{name} must be {','.join(p + ':ID' for p in PARTNERS)}"
    leads: dict[str, int] = {}
    for part in _split(value):
        partner, colon, uid = part.partition(":")
        partner = partner.strip().lower()
        if not colon or partner not in PARTNERS:
            raise SettingsError(f"{form}, got {part!r}")
        if partner in leads:
            raise SettingsError(f"{name} names {partner} twice")
        leads[partner] = _int(name, uid)
    missing = [p for p in PARTNERS if p not in leads]
    if missing:
        raise SettingsError(f"{form}: {', '.join(missing)} missing")
    if len(set(leads.values())) != len(leads):
        raise SettingsError(f"{name} must name a different person for each partner")
    return tuple((p, leads[p]) for p in PARTNERS)


def _convert(name: str, value: object) -> object:
    attr = _NAMES[name]
    if attr in {"board_chat_id"}:
        return _int(name, value) if str(value).strip() else None
    if attr in {"draft_ttl_hours", "reminder_working_days", "webhook_port", "webapp_port"}:
        number = _int(name, value)
        if number <= 0:
            raise SettingsError(f"{name} must be positive, got {number}")
        return number
    if attr in _RETENTION:
        period = _int(name, value)
        if period <= 0:
            raise SettingsError(f"{name} must be a positive whole number, got {period}")
        return period
    if attr in {"chair_user_ids", "officer_user_ids", "panel_user_ids"}:
        return _ids(name, value)
    if attr == "partner_user_ids":
        return _partners(name, value)
    if attr == "agencies":
        agencies = tuple(_split(value))
        if not agencies:
            raise SettingsError("AGENCIES must name at least one agency")
        return agencies
    if attr == "themes":
        return read_themes(value, SettingsError)
    if attr == "cp_procedures":
        name_given = " ".join(str(value).split())
        if not name_given:
            raise SettingsError("CP_PROCEDURES must name the child protection procedures to follow")
        return name_given
    if attr == "bank_holidays":
        return _dates(name, value)
    if attr == "webapp_frame_ancestors":
        return tuple(_split(value))
    if attr == "db_path":
        return Path(str(value))
    if attr == "log_level":
        level = str(value).strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
        return level
    return str(value).replace("\\n", "\n") if attr == "urgent_contacts" else str(value).strip()


# A token from @BotFather: the bot's numeric id, a colon, then letters, digits, _ and -.
_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,200}")
# Telegram's rule for a webhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _check(settings: Settings) -> None:
    """What no single value shows: the secrets' forms, the URLs, the database's place."""
    if settings.token and not _TOKEN.fullmatch(settings.token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not a bot token: @BotFather's tokens are the bot's number, "
            "a colon, then letters, digits, _ and - (e.g. 123456789:AAF...)"
        )
    if settings.webhook_secret and not _WEBHOOK_SECRET.fullmatch(settings.webhook_secret):
        raise SettingsError("WEBHOOK_SECRET must be 1 to 256 of the characters A-Z a-z 0-9 _ -")
    try:
        addresses.check_addresses(settings)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    _check_matrix(settings.matrix)
    joint = load_profile(settings.matrix).profile == JOINT_PROFILE
    if joint and not settings.partner_user_ids:
        raise SettingsError(
            f"PARTNER_USER_IDS is required with MATRIX={settings.matrix} (the decision is joint): "
            f"{','.join(p + ':ID' for p in PARTNERS)}"
        )
    if settings.partner_user_ids and not joint:
        raise SettingsError(f"PARTNER_USER_IDS is only used with MATRIX={JOINT_PROFILE}")
    db = settings.db_path
    if not str(db).strip() or db.is_dir():
        raise SettingsError(f"TRIAGE_DB must name a database file, got {str(db)!r}")
    folder = next((p for p in db.absolute().parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        raise SettingsError(f"TRIAGE_DB {str(db)!r} cannot be created: {str(folder)!r} is a file")


def _check_matrix(value: str) -> None:
    """MATRIX names a packaged profile or a readable, valid matrix file."""
    try:
        load_profile(value)
    except MatrixError as exc:
        raise SettingsError(f"MATRIX: {exc}") from None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings: the TOML file named by TRIAGE_CONFIG, overridden by the environment."""
    values = {_NAMES[name]: _convert(name, value) for name, value in _read(environ).items()}
    settings = Settings(**values)  # type: ignore[arg-type]
    _check(settings)
    return settings


def load_only(
    names: Collection[str],
    environ: Mapping[str, str] | None = None,
    *,
    defaults: Settings = Settings(),
) -> Settings:
    """`defaults` with only the settings `names` read as `load_settings` reads them (the
    environment over the TRIAGE_CONFIG file, each value checked), the others left alone and
    nothing checked across settings: for the offline commands that need one setting (`grade`
    and `matrix` the MATRIX profile, `demo` its LOG_LEVEL) and must not refuse because of
    another (MATRIX=wt2023 without the PARTNER_USER_IDS only the bot needs)."""
    unknown = sorted(set(names) - set(_NAMES))
    if unknown:
        raise ValueError(f"not settings: {', '.join(unknown)}")
    raw = {name: value for name, value in _read(environ).items() if name in names}
    values = {_NAMES[name]: _convert(name, value) for name, value in raw.items()}
    return replace(defaults, **values)  # type: ignore[arg-type]


def opt_in_to_timedelta() -> None:
    """Take python-telegram-bot's time periods (`RetryAfter.retry_after` and the like) as
    `datetime.timedelta`, the type its next major version gives them: PTB 22 gives int seconds
    and warns (`PTBDeprecationWarning`) unless `PTB_TIMEDELTA` is set. PTB reads the variable at
    each access, so setting it when `bot` is imported, before any request, covers every one;
    it is python-telegram-bot's switch, not a setting of the bot, so it is set whatever the
    environment says."""
    os.environ["PTB_TIMEDELTA"] = "true"


def has_desktop(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this session has a graphical desktop (DISPLAY or WAYLAND_DISPLAY set) on which a
    browser can open a window: the desktop's own variables, not settings of the bot."""
    env = os.environ if environ is None else environ
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _read(environ: Mapping[str, str] | None) -> dict[str, object]:
    """Every setting given, by name: the TOML file named by TRIAGE_CONFIG, overridden by the
    environment (an empty variable gives nothing). The only place that reads the environment."""
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
    return raw
