"""Where a client's personal data lives: the one registry that the per-client export and the
erase both read (issue 18).

Every model with a text, email, JSON, file or IP column is either a `Holder` below (which
columns can hold the person's data, how erase removes them, how the export shows them) or
named in `NO_CLIENT_DATA` with the reason. `clients/tests/test_privacy_registry.py` walks
`apps.get_models()` and fails for a model, or a new text column of a listed model, that is in
neither, so a new place for personal data cannot be forgotten by export or erase.

Holders in apps above the CRM (notifications) and in third-party apps (django-axes, the admin
log) are named by label and fetched with `apps.get_model`: the CRM must not import the apps
built on it (the layers contract), yet the list must stay in one place to be complete.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db.models import F, Model, Q, QuerySet

from trainerhub.clients.models import Client, ClientFile, ClientTag, Note, NoteRevision
from trainerhub.clients.search import build_search_text
from trainerhub.scheduling.models import Booking, BookingEvent

ERASED_NAME = "Erased client"
ERASED_REASON = "The client's personal data was erased."
# Facts of a booking's history and of a message that name nobody: times, who acted (a role),
# lateness. Everything else (a reason, a decline message, an edit's old and new text, and
# whatever a future event adds) is dropped on erase.
SAFE_EVENT_KEYS = frozenset({"start", "from", "to", "late"})
SAFE_MESSAGE_KEYS = frozenset({"actor", "late", "old_start", "old_end", "date"})


@dataclass(frozen=True)
class Subject:
    """The person being exported or erased, as they were before anything changed."""

    client: Client
    full_name: str
    emails: frozenset[str]
    account_id: int | None
    # The portal account also serves client records of other trainers: erase unlinks it
    # from this record but leaves the account (and its sign-in log) to those relationships.
    account_shared: bool

    @classmethod
    def of(cls, client: Client) -> Subject:
        account = client.account
        emails = {e.strip().lower() for e in (client.email, account.email if account else "")}
        shared = (
            account is not None
            and Client.objects.filter(account=account, erased_at__isnull=True)
            .exclude(pk=client.pk)
            .exists()
        )
        return cls(
            client=client,
            full_name=client.full_name,
            emails=frozenset(e for e in emails if e),
            account_id=account.pk if account else None,
            account_shared=shared,
        )


Rows = Callable[[Subject], QuerySet[Any]]
Eraser = Callable[[QuerySet[Any], Subject], int]
Exporter = Callable[[QuerySet[Any]], Any]


@dataclass(frozen=True)
class Holder:
    label: str  # "app_label.ModelName"
    personal: tuple[str, ...]  # the columns that can hold the person's data
    erase: str  # what erase does to the rows: "delete", "blank" or "anonymise"
    rows: Rows
    eraser: Eraser
    other_text: tuple[str, ...] = ()  # text columns that hold none (choices, tokens, ids)
    export_key: str = ""  # its key in the JSON export...
    exporter: Exporter | None = None
    exported_in: str = ""  # ...or the key of the holder it is exported inside
    not_exported: str = ""  # ...or why it is not part of the person's copy

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


def iso_or_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _model(label: str) -> Any:
    return apps.get_model(label)


def _delete(rows: QuerySet[Any], subject: Subject) -> int:
    return rows.delete()[0]


# --- The client record --------------------------------------------------------------------

CLIENT_PERSONAL = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "timezone",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
    "goals",
    "level",
    "health_notes",
    "preferences",
    "referral_source",
    "custom_fields",
    "search_text",
)


def _client_rows(s: Subject) -> QuerySet[Any]:
    return Client.objects.filter(pk=s.client.pk)


def _erase_client(rows: QuerySet[Any], s: Subject) -> int:
    from django.utils import timezone

    client = rows.get()
    for name in CLIENT_PERSONAL:
        setattr(client, name, {} if name == "custom_fields" else "")
    client.first_name = ERASED_NAME
    client.date_of_birth = None
    client.status = Client.Status.ARCHIVED
    client.archived_at = client.archived_at or timezone.now()
    client.erased_at = timezone.now()
    client.account = None
    client.search_text = build_search_text(client)
    client.save()
    return 1


def _export_client(rows: QuerySet[Any]) -> dict[str, Any]:
    client = rows.get()
    skip = ("trainer", "account", "search_text")
    return {
        f.name: iso_or_value(getattr(client, f.name))
        for f in Client._meta.concrete_fields
        if f.name not in skip
    }


# --- The CRM's rows about them ------------------------------------------------------------


def _tag_rows(s: Subject) -> QuerySet[Any]:
    return ClientTag.objects.filter(client=s.client).select_related("tag")


def _note_rows(s: Subject) -> QuerySet[Any]:
    return Note.objects.filter(client=s.client).prefetch_related("revisions")


def _export_notes(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": n.pk,
            "created_at": iso_or_value(n.created_at),
            "updated_at": iso_or_value(n.updated_at),
            "booking_id": n.booking_id,
            "body": n.body,
            "revisions": [
                {"created_at": iso_or_value(r.created_at), "body": r.body}
                for r in n.revisions.all()
            ],
        }
        for n in rows.order_by("-created_at", "-id")
    ]


def _file_rows(s: Subject) -> QuerySet[Any]:
    return ClientFile.objects.filter(client=s.client)


def _erase_files(rows: QuerySet[Any], s: Subject) -> int:
    from trainerhub.clients.notes import delete_stored_files

    return delete_stored_files(rows)


def _export_files(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": f.pk,
            "name": f.name,
            "kind": f.kind,
            "content_type": f.content_type,
            "size": f.size,
            "created_at": iso_or_value(f.created_at),
        }
        for f in rows.order_by("-created_at", "-id")
    ]


# --- Bookings and their history -----------------------------------------------------------


def _booking_rows(s: Subject) -> QuerySet[Any]:
    return Booking.objects.filter(client=s.client)


def _erase_bookings(rows: QuerySet[Any], s: Subject) -> int:
    # A location other than the service's may be the client's home (a home visit).
    rows.exclude(location=F("service__location")).update(location="")
    return rows.update(
        notes="", cancellation_reason="", manage_token=None, meeting_url="", meeting_id=""
    )


def _export_bookings(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": b.pk,
            "service": b.service.name,
            "start": iso_or_value(b.start),
            "end": iso_or_value(b.end),
            "status": b.status,
            "price": str(b.price),
            "currency": b.currency,
            "price_base": str(b.price_base),
            "addons": [{"name": a["name"], "price": a["price"]} for a in b.price_addons],
            "discount": {"code": b.discount_code, "amount": str(b.discount_amount)}
            if b.discount_code
            else None,
            "location": b.location,
            "meeting_url": b.meeting_url,
            "notes": b.notes,
            "cancellation_reason": b.cancellation_reason,
            "late_cancellation": b.late_cancellation,
            "history": [
                {"at": iso_or_value(e.at), "kind": e.kind, "actor": e.actor, "data": e.data}
                for e in b.events.all()
            ],
        }
        for b in rows.select_related("service").prefetch_related("events").order_by("-start")
    ]


def _event_rows(s: Subject) -> QuerySet[Any]:
    return BookingEvent.objects.filter(booking__client=s.client)


def _keep_keys(rows: QuerySet[Any], field: str, keep: frozenset[str]) -> int:
    changed = []
    for row in rows:
        value = getattr(row, field) or {}
        kept = {k: v for k, v in value.items() if k in keep}
        if kept != value:
            setattr(row, field, kept)
            changed.append(row)
    rows.model.objects.bulk_update(changed, [field])
    return len(changed)


def _erase_events(rows: QuerySet[Any], s: Subject) -> int:
    return _keep_keys(rows, "data", SAFE_EVENT_KEYS)


def _answer_rows(s: Subject) -> QuerySet[Any]:
    return _model("portal.BookingAnswers").objects.filter(booking__client=s.client)


def _export_answers(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "booking_id": a.booking_id,
            "first_name": a.first_name,
            "last_name": a.last_name,
            "phone": a.phone,
            "custom_fields": a.custom_fields,
            "decision": a.decision,
            "created_at": iso_or_value(a.created_at),
        }
        for a in rows.order_by("created_at", "id")
    ]


# --- Messages (the outbox), their attempts, the trainer's in-app lines --------------------


def _message_rows(s: Subject) -> QuerySet[Any]:
    notification = _model("notifications.Notification")
    return notification.objects.filter(Q(client=s.client) | Q(booking__client=s.client))


def _erase_messages(rows: QuerySet[Any], s: Subject) -> int:
    status = rows.model.Status
    # Nothing queued for them may go out any more (the address is gone anyway).
    rows.filter(status=status.PENDING).update(status=status.SKIPPED)
    rows = rows.model.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))
    _keep_keys(rows, "context", SAFE_MESSAGE_KEYS)
    count = 0
    for row in rows:
        # The subject may name the client ("New booking: Anna Müller, ..."); the kind stays.
        row.subject = row.get_kind_display()[:255]
        row.to_address = ""
        row.last_error = ERASED_REASON if row.status == status.SKIPPED else ""
        row.save(update_fields=["subject", "to_address", "last_error"])
        count += 1
    return count


def _export_messages(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "channel": m.channel,
            "recipient": m.recipient,
            "status": m.status,
            "to": m.to_address,
            "subject": m.subject,
            "booking_id": m.booking_id,
            "created_at": iso_or_value(m.created_at),
            "sent_at": iso_or_value(m.sent_at),
            "attempts": [
                {
                    "started_at": iso_or_value(a.started_at),
                    "finished_at": iso_or_value(a.finished_at),
                    "outcome": a.outcome,
                    "error": a.error,
                }
                for a in m.attempt_rows.all()
            ],
        }
        for m in rows.prefetch_related("attempt_rows").order_by("created_at", "id")
    ]


def _attempt_rows(s: Subject) -> QuerySet[Any]:
    attempt = _model("notifications.NotificationAttempt")
    return attempt.objects.filter(notification__in=_message_rows(s))


def _erase_attempts(rows: QuerySet[Any], s: Subject) -> int:
    # A provider's error can quote the address ("550 anna@... unknown").
    return rows.exclude(error="").update(error="")


def _name_pattern(s: Subject) -> re.Pattern[str] | None:
    words = [w for w in (s.full_name, *s.emails) if w and w != ERASED_NAME]
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _in_app_rows(s: Subject) -> QuerySet[Any]:
    """The trainer's in-app lines that name the client: they are written from the booking's
    message ("New booking: <name>, ..."), so they are found by the name and the email."""
    in_app = _model("notifications.InAppNotification")
    words = [w for w in (s.full_name, *s.emails) if w]
    if not words:
        return in_app.objects.none()
    named = Q()
    for word in words:
        named |= Q(title__icontains=word) | Q(body__icontains=word)
    return in_app.objects.filter(named, trainer_id=s.client.trainer_id)


def _erase_in_app(rows: QuerySet[Any], s: Subject) -> int:
    pattern = _name_pattern(s)
    changed = []
    for row in rows:
        title = pattern.sub(ERASED_NAME, row.title) if pattern else row.title
        body = pattern.sub(ERASED_NAME, row.body) if pattern else row.body
        if (title, body) != (row.title, row.body):
            row.title, row.body = title[:200], body[:2000]
            changed.append(row)
    rows.model.objects.bulk_update(changed, ["title", "body"])
    return len(changed)


def _export_in_app(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {"created_at": iso_or_value(n.created_at), "title": n.title, "body": n.body}
        for n in rows.order_by("created_at", "id")
    ]


def _channel_rows(s: Subject) -> QuerySet[Any]:
    return _model("notifications.ClientChannels").objects.filter(client=s.client)


def _export_channels(rows: QuerySet[Any]) -> dict[str, Any]:
    links = rows.first()
    return {
        "telegram_linked": bool(links and links.telegram_chat_id),
        "reminders_unsubscribed_at": iso_or_value(links.reminders_unsubscribed_at)
        if links
        else None,
    }


def _feed_rows(s: Subject) -> QuerySet[Any]:
    return _model("notifications.CalendarFeed").objects.filter(client=s.client)


# --- Their portal account and its sign-in log ---------------------------------------------


def _account_rows(s: Subject) -> QuerySet[Any]:
    from trainerhub.accounts.models import User

    if s.account_id is None:
        return User.objects.none()
    return User.objects.filter(pk=s.account_id, role=User.Role.CLIENT)


def _erase_account(rows: QuerySet[Any], s: Subject) -> int:
    if s.account_shared:
        return 0
    count = 0
    for user in rows:
        user.email = f"erased-{user.pk}@erased.invalid"
        user.name = ERASED_NAME
        user.phone = user.bio = user.business_name = ""
        user.slug = None
        user.logo = user.photo = ""
        user.logo_type = user.photo_type = ""
        user.is_active = False  # it can no longer sign in, on pages or the API
        user.set_unusable_password()
        user.save()
        _revoke_tokens(user)
        count += 1
    return count


def _revoke_tokens(user: Any) -> None:
    outstanding = _model("token_blacklist.OutstandingToken")
    blacklisted = _model("token_blacklist.BlacklistedToken")
    for token in outstanding.objects.filter(user=user):
        blacklisted.objects.get_or_create(token=token)


def _export_account(rows: QuerySet[Any]) -> dict[str, Any] | None:
    user = rows.first()
    if user is None:
        return None
    return {
        "email": user.email,
        "name": user.name,
        "timezone": user.timezone,
        "date_joined": iso_or_value(user.date_joined),
        "last_login": iso_or_value(user.last_login),
    }


def _sign_in_rows(label: str) -> Rows:
    def rows(s: Subject) -> QuerySet[Any]:
        model = _model(label)
        if not s.emails or s.account_shared:
            return model.objects.none()
        by_name = Q()
        for email in s.emails:
            by_name |= Q(username__iexact=email)
        return model.objects.filter(by_name)

    return rows


def _export_sign_ins(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {
            "at": iso_or_value(r.attempt_time),
            "ip_address": r.ip_address,
            "user_agent": r.user_agent,
            "path": r.path_info,
        }
        for r in rows.order_by("attempt_time")
    ]


# --- The admin's change log ---------------------------------------------------------------


def _admin_log_rows(s: Subject) -> QuerySet[Any]:
    from django.contrib.contenttypes.models import ContentType

    log_entry = _model("admin.LogEntry")
    about = Q(pk__in=[])
    for model, ids in (
        (Client, [s.client.pk]),
        (Booking, list(_booking_rows(s).values_list("pk", flat=True))),
        (Note, list(_note_rows(s).values_list("pk", flat=True))),
        (ClientFile, list(_file_rows(s).values_list("pk", flat=True))),
    ):
        if ids:
            kind = ContentType.objects.get_for_model(model)
            about |= Q(content_type=kind, object_id__in=[str(pk) for pk in ids])
    if s.account_id and not s.account_shared:
        kind = ContentType.objects.get_for_model(_model("accounts.User"))
        about |= Q(content_type=kind, object_id=str(s.account_id))
    return log_entry.objects.filter(about)


def _erase_admin_log(rows: QuerySet[Any], s: Subject) -> int:
    # Which record a staff member changed stays; the name it was shown by and the
    # field-by-field message do not.
    return rows.update(object_repr=ERASED_NAME, change_message="")


# --- The registry -------------------------------------------------------------------------

_AXES_TEXT = ("user_agent", "ip_address", "username", "http_accept", "path_info")

# In erase order: rows found through others (the admin log through the bookings, attempts
# through messages) before those are changed; the client record and the account last.
REGISTRY: tuple[Holder, ...] = (
    Holder(
        "admin.LogEntry",
        personal=("object_repr", "change_message"),
        other_text=("object_id",),
        erase="anonymise",
        rows=_admin_log_rows,
        eraser=_erase_admin_log,
        not_exported="the operator's record of staff edits; it names which row changed only",
    ),
    Holder(
        "notifications.InAppNotification",
        personal=("title", "body"),
        other_text=("url",),
        erase="anonymise",
        rows=_in_app_rows,
        eraser=_erase_in_app,
        export_key="trainer_notifications",
        exporter=_export_in_app,
    ),
    Holder(
        "notifications.NotificationAttempt",
        personal=("error",),
        other_text=("worker", "outcome", "provider_id"),
        erase="blank",
        rows=_attempt_rows,
        eraser=_erase_attempts,
        exported_in="messages",
    ),
    Holder(
        "notifications.Notification",
        personal=("to_address", "subject", "context", "last_error"),
        other_text=(
            "kind",
            "channel",
            "recipient",
            "dedupe",
            "status",
            "claimed_by",
            "claim_token",
        ),
        erase="anonymise",
        rows=_message_rows,
        eraser=_erase_messages,
        export_key="messages",
        exporter=_export_messages,
    ),
    Holder(
        "notifications.ClientChannels",
        personal=("telegram_chat_id", "telegram_link_code"),
        erase="delete",
        rows=_channel_rows,
        eraser=_delete,
        export_key="channels",
        exporter=_export_channels,
    ),
    Holder(
        "notifications.CalendarFeed",
        personal=(),
        other_text=("token",),
        erase="delete",
        rows=_feed_rows,
        eraser=_delete,
        not_exported="a private link to their calendar; it holds no facts about them",
    ),
    Holder(
        "scheduling.BookingEvent",
        personal=("data",),
        other_text=("kind", "actor"),
        erase="anonymise",
        rows=_event_rows,
        eraser=_erase_events,
        exported_in="bookings",
    ),
    Holder(
        "portal.BookingAnswers",
        personal=("first_name", "last_name", "phone", "custom_fields"),
        other_text=("decision",),
        erase="delete",
        rows=_answer_rows,
        eraser=_delete,
        export_key="booking_form_answers",
        exporter=_export_answers,
    ),
    Holder(
        "scheduling.Booking",
        # The meeting's link and Zoom id lead into the client's video call.
        personal=(
            "notes",
            "location",
            "cancellation_reason",
            "manage_token",
            "meeting_url",
            "meeting_id",
        ),
        other_text=(
            "status",
            "currency",
            "created_by",
            "cancelled_by",
            "discount_code",
            "price_addons",
            "meeting_provider",
        ),
        erase="blank",
        rows=_booking_rows,
        eraser=_erase_bookings,
        export_key="bookings",
        exporter=_export_bookings,
    ),
    Holder(
        "clients.NoteRevision",
        personal=("body",),
        erase="delete",
        rows=lambda s: NoteRevision.objects.filter(note__client=s.client),
        eraser=_delete,
        exported_in="notes",
    ),
    Holder(
        "clients.Note",
        personal=("body",),
        erase="delete",
        rows=_note_rows,
        eraser=_delete,
        export_key="notes",
        exporter=_export_notes,
    ),
    Holder(
        "clients.ClientFile",
        personal=("file", "name"),
        other_text=("kind", "content_type"),
        erase="delete",
        rows=_file_rows,
        eraser=_erase_files,
        export_key="files",
        exporter=_export_files,
    ),
    Holder(
        "clients.ClientTag",
        personal=(),
        erase="delete",
        rows=_tag_rows,
        eraser=_delete,
        export_key="tags",
        exporter=lambda rows: [ct.tag.name for ct in rows.order_by("tag__name")],
    ),
    Holder(
        "axes.AccessAttempt",
        personal=(*_AXES_TEXT, "get_data", "post_data"),
        erase="delete",
        rows=_sign_in_rows("axes.AccessAttempt"),
        eraser=_delete,
        export_key="failed_sign_ins",
        exporter=_export_sign_ins,
    ),
    Holder(
        "axes.AccessLog",
        personal=_AXES_TEXT,
        other_text=("session_hash",),
        erase="delete",
        rows=_sign_in_rows("axes.AccessLog"),
        eraser=_delete,
        export_key="sign_ins",
        exporter=_export_sign_ins,
    ),
    Holder(
        "axes.AccessFailureLog",
        personal=_AXES_TEXT,
        erase="delete",
        rows=_sign_in_rows("axes.AccessFailureLog"),
        eraser=_delete,
        export_key="sign_in_failures",
        exporter=_export_sign_ins,
    ),
    Holder(
        "accounts.User",
        # Trainers are users too; this holder is the client's portal account only.
        personal=(
            "email",
            "name",
            "phone",
            "bio",
            "business_name",
            "slug",
            "logo",
            "logo_type",
            "photo",
            "photo_type",
            "password",
        ),
        other_text=("role", "timezone", "country", "accent_color", "currency"),
        erase="anonymise",
        rows=_account_rows,
        eraser=_erase_account,
        export_key="account",
        exporter=_export_account,
    ),
    Holder(
        "clients.Client",
        personal=CLIENT_PERSONAL,
        other_text=("preferred_channel", "status"),
        erase="anonymise",
        rows=_client_rows,
        eraser=_erase_client,
        export_key="client",
        exporter=_export_client,
    ),
)

# Models with text columns that never hold a client's data, and why.
NO_CLIENT_DATA: dict[str, str] = {
    "auth.Permission": "the permission names of the code",
    "auth.Group": "staff group names",
    "contenttypes.ContentType": "model names",
    "sessions.Session": "signed session data; a disabled account's sessions are refused",
    "token_blacklist.OutstandingToken": "API tokens carry the user id only (revoked on erase)",
    "clients.Tag": "the trainer's own labels",
    "clients.IntakeField": "the trainer's questions (the answers live on the client)",
    "clients.ErasureRecord": "the audit of an erase: an id and counts, no personal data",
    "scheduling.Service": "the trainer's offer",
    "scheduling.ServiceAddon": "the trainer's offer (extras of a service)",
    "scheduling.DiscountCode": "the trainer's codes; which client used one is on the booking",
    "scheduling.DateOverride": "the trainer's hours",
    "scheduling.TimeOff": "the trainer's absences",
    "scheduling.SchedulingSettings": "the trainer's request expiry and completion choices",
    "scheduling.MeetingTask": "Zoom calls to make: ids, statuses and each call's method and path",
    "notifications.NotificationPreference": "the trainer's choices",
    "notifications.NotificationSettings": "the trainer's reminder times",
    "notifications.WorkerState": "the worker's own offsets",
    "notifications.SmsAccount": "the trainer's own Twilio account (the token encrypted)",
    "core.Heartbeat": "the worker's last pass",
    "portal.PortalSettings": "the trainer's booking page settings",
    "calendars.CalendarSubscription": "the trainer's own calendar addresses; only busy "
    "ranges are kept from them, never event titles",
}


def holder_add(holder: Holder) -> None:
    """An app above the CRM names where it keeps a client's data (from its `ready()`): its rows
    are exported with the rest and erased first, before the records they point to."""
    global REGISTRY
    if all(h.label != holder.label for h in REGISTRY):
        REGISTRY = (holder, *REGISTRY)


def no_client_data_add(label: str, why: str) -> None:
    """An app above the CRM names a model with text columns that hold no client data."""
    NO_CLIENT_DATA.setdefault(label, why)


def holder_for(label: str) -> Holder:
    return next(h for h in REGISTRY if h.label == label)


def export_sections(client: Client) -> dict[str, Any]:
    """Every holder's rows of this client, keyed as the export shows them."""
    subject = Subject.of(client)
    return {
        h.export_key: h.exporter(h.rows(subject))
        for h in REGISTRY
        if h.export_key and h.exporter is not None
    }


def erase_personal_data(client: Client) -> dict[str, int]:
    """Erase or anonymise every holder's rows of this client; the rows changed per holder.
    The caller holds the transaction."""
    subject = Subject.of(client)
    return {h.label: h.eraser(h.rows(subject), subject) for h in REGISTRY}
